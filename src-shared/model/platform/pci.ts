// PCI functions and where SeaBIOS puts their memory BARs (src/fw/pciinit.c).
// Every root bus's resources go in bus 0's regions, whether the bus is pcie.0
// or an expander's (pxb-cxl); a bridge adds its windows to the regions of the
// bus it sits on: at least 2 MiB each, aligned to the larger of 2 MiB and its
// largest child, and 2 MiB reserved for hotplug when nothing is behind it
// (pci_bios_check_devices). A region is sorted largest first, equal sizes in
// the order they were added: device BARs in bus order, then bridge windows
// from the highest secondary bus down (pci_region_create_entry). Bus 0's
// prefetchable and non-prefetchable regions are stacked below the end of the
// 32-bit window (0xfec00000): the prefetchable one on top, unless the other
// has the smaller alignment (pci_bios_init_root_regions_mem). Each region,
// and each bridge window, hands out addresses upward from its base
// (pci_region_map_entries). The kernel keeps the firmware's placement and
// claims each BAR under the window that holds it, named by the function's
// address (drivers/pci/setup-res.c pci_claim_resource).

/** One memory BAR; PCI BAR sizes are powers of two, so a BAR's alignment is its size. */
export interface PciBar {
  index: number;
  size: number;
  prefetch: boolean;
}

export interface PciFunction {
  /** the bus it sits on (0 when absent), its slot and function */
  bus?: number;
  slot: number;
  fn: number;
  /** what the function is, for the explanation */
  what: string;
  bars: PciBar[];
  /** a bridge's secondary bus and the functions on it */
  bridge?: { secondary: number; functions: PciFunction[] };
}

export interface PlacedBar {
  /** the kernel's name: 0000:BB:SS.F for a BAR, PCI Bus 0000:BB for a bridge window */
  name: string;
  start: number;
  end: number;
  what: string;
  /** the bus whose resources hold it: the function's bus, or for a bridge window the bridge's */
  bus: number;
  /** a bridge window: the secondary bus it forwards to */
  forwardsTo?: number;
  /** a BAR: its index, and whether it is prefetchable (QEMU's prefetchable BARs here are 64-bit) */
  index?: number;
  prefetch?: boolean;
}

/** Where SeaBIOS's 32-bit memory regions end (BUILD_PCIMEM_END, the IOAPIC). */
export const SEABIOS_PCIMEM_END = 0xfec00000;
/** PCI_BRIDGE_MEM_MIN: the smallest memory window SeaBIOS gives a bridge (2 MiB, a huge page). */
export const SEABIOS_BRIDGE_MEM_MIN = 2 * 1024 * 1024;

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
export const pciName = (slot: number, fn: number, bus = 0) => `0000:${hex2(bus)}:${hex2(slot)}.${fn.toString(16)}`;

/** A region entry: a BAR, or a bridge window with the entries behind it. */
interface Entry {
  size: number;
  align: number;
  f: PciFunction;
  bar?: PciBar;
  behind?: Entry[];
}

/** pci_region_create_entry's order: larger first; among equals, the earlier one first. */
const sortedRegion = (entries: Entry[]): Entry[] =>
  entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.size - a.e.size || a.i - b.i)
    .map(({ e }) => e);

/** pci_region_align: the largest entry's alignment, or 1 for an empty region. */
const regionAlign = (r: Entry[]) => Math.max(1, ...r.map((e) => e.align));
const regionSum = (r: Entry[]) => r.reduce((sum, e) => sum + e.size, 0);
const alignDown = (n: number, a: number) => Math.floor(n / a) * a;
const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;
const inBusOrder = (fns: PciFunction[]) => [...fns].sort((a, b) => a.slot - b.slot || a.fn - b.fn);

/** The entries the functions of one bus (and the buses behind their bridges) add to a region. */
function regionEntries(functions: PciFunction[], prefetch: boolean): Entry[] {
  const ordered = inBusOrder(functions);
  const bars = ordered.flatMap((f) =>
    [...f.bars]
      .sort((a, b) => a.index - b.index)
      .filter((bar) => bar.prefetch === prefetch)
      .map((bar): Entry => ({ size: bar.size, align: bar.size, f, bar })),
  );
  const bridges = ordered
    .filter((f) => f.bridge)
    .sort((a, b) => b.bridge!.secondary - a.bridge!.secondary)
    .map((f): Entry => {
      const behind = sortedRegion(regionEntries(f.bridge!.functions, prefetch));
      const align = Math.max(SEABIOS_BRIDGE_MEM_MIN, regionAlign(behind));
      // an empty window still gets its minimum: cxl-rp and pcie-root-port support hotplug
      return { size: alignUp(Math.max(regionSum(behind), align), align), align, f, behind };
    });
  return [...bars, ...bridges];
}

function mapRegion(region: Entry[], base: number, out: PlacedBar[]): void {
  let next = base;
  for (const e of region) {
    const bus = e.f.bus ?? 0;
    if (e.behind) {
      const secondary = e.f.bridge!.secondary;
      out.push({ name: `PCI Bus 0000:${hex2(secondary)}`, start: next, end: next + e.size - 1, what: e.f.what, bus });
      out[out.length - 1]!.forwardsTo = secondary;
      mapRegion(e.behind, next, out);
    } else {
      const name = pciName(e.f.slot, e.f.fn, bus);
      const { index, prefetch } = e.bar!;
      out.push({ name, start: next, end: next + e.size - 1, what: e.f.what, bus, index, prefetch });
    }
    next += e.size;
  }
}

/** The BARs and bridge windows of every root bus's functions as SeaBIOS places them below `end`, in address order. */
export function seabiosPlaceBars(functions: PciFunction[], end = SEABIOS_PCIMEM_END): PlacedBar[] {
  const mem = sortedRegion(regionEntries(functions, false));
  const pref = sortedRegion(regionEntries(functions, true));
  const [top, below] = regionAlign(mem) < regionAlign(pref) ? [mem, pref] : [pref, mem];
  const topBase = alignDown(end - regionSum(top), regionAlign(top));
  const belowBase = alignDown(topBase - regionSum(below), regionAlign(below));
  const placed: PlacedBar[] = [];
  mapRegion(below, belowBase, placed);
  mapRegion(top, topBase, placed);
  return placed.sort((a, b) => a.start - b.start || b.end - a.end);
}
