// PCI functions on the root bus and where SeaBIOS puts their memory BARs
// (src/fw/pciinit.c): BARs are sorted per region, largest first (equal sizes
// in bus order), the prefetchable and non-prefetchable regions are stacked
// below the end of the 32-bit window (0xfec00000) with the one of larger
// alignment on top (pci_bios_init_root_regions_mem), and each region hands out
// addresses upward from its base (pci_region_map_entries). The kernel keeps
// the firmware's placement and claims each BAR under the host bridge window
// that holds it, named by the function's address (drivers/pci/setup-res.c
// pci_claim_resource).

/** One memory BAR; PCI BAR sizes are powers of two, so a BAR's alignment is its size. */
export interface PciBar {
  index: number;
  size: number;
  prefetch: boolean;
}

export interface PciFunction {
  /** slot and function on bus 0 */
  slot: number;
  fn: number;
  /** what the function is, for the explanation */
  what: string;
  bars: PciBar[];
}

export interface PlacedBar {
  /** the kernel's name for the function: 0000:00:SS.F */
  name: string;
  start: number;
  end: number;
  what: string;
}

/** Where SeaBIOS's 32-bit memory regions end (BUILD_PCIMEM_END, the IOAPIC). */
export const SEABIOS_PCIMEM_END = 0xfec00000;

export const pciName = (slot: number, fn: number) => `0000:00:${slot.toString(16).padStart(2, '0')}.${fn.toString(16)}`;

interface Entry {
  f: PciFunction;
  bar: PciBar;
}

/** pci_region_create_entry's order: larger first; among equals, the earlier one (bus order) first. */
function sortedRegion(entries: Entry[]): Entry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.bar.size - a.e.bar.size || a.i - b.i)
    .map(({ e }) => e);
}

/** pci_region_align: the largest entry's alignment, or 1 for an empty region. */
const regionAlign = (r: Entry[]) => r[0]?.bar.size ?? 1;
const regionSum = (r: Entry[]) => r.reduce((sum, e) => sum + e.bar.size, 0);
const alignDown = (n: number, a: number) => Math.floor(n / a) * a;

/** The BARs of the root bus's functions as SeaBIOS places them below `end`, in address order. */
export function seabiosPlaceBars(functions: PciFunction[], end = SEABIOS_PCIMEM_END): PlacedBar[] {
  const inBusOrder = [...functions].sort((a, b) => a.slot - b.slot || a.fn - b.fn);
  const all = inBusOrder.flatMap((f) => [...f.bars].sort((a, b) => a.index - b.index).map((bar) => ({ f, bar })));
  const mem = sortedRegion(all.filter((e) => !e.bar.prefetch));
  const pref = sortedRegion(all.filter((e) => e.bar.prefetch));
  // the region with the larger alignment goes on top, right below the end
  const [top, below] = regionAlign(mem) < regionAlign(pref) ? [pref, mem] : [mem, pref];
  const topBase = alignDown(end - regionSum(top), regionAlign(top));
  const belowBase = alignDown(topBase - regionSum(below), regionAlign(below));
  const placed: PlacedBar[] = [];
  for (const [region, base] of [
    [below, belowBase],
    [top, topBase],
  ] as const) {
    let next = base;
    for (const { f, bar } of region) {
      placed.push({ name: pciName(f.slot, f.fn), start: next, end: next + bar.size - 1, what: f.what });
      next += bar.size;
    }
  }
  return placed.sort((a, b) => a.start - b.start);
}
