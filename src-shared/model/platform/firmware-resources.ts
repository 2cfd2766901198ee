// The resources the firmware describes between the end of low RAM and 4 GiB:
// SeaBIOS's reserve at the top of low RAM, the host bridge's 32-bit PCI
// window (split around the MMCONFIG window on q35) with the BARs SeaBIOS
// placed in it, and the fixed devices of the 4 GiB hole.
import { hex } from '../../units';
import { why, type Why } from '../why';
import type { FirmwareResource } from './machine';
import type { PlacedBar } from './pci';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/**
 * The ranges of each expander root bus (a bus with BARs on it that no bridge forwards to), as QEMU's _CRS for it
 * lists them: adjacent or overlapping ranges merged (hw/i386/acpi-build.c crs_range_merge).
 */
function expanderRanges(bars: PlacedBar[]): { bus: number; range: [number, number] }[] {
  const secondaries = new Set(bars.flatMap((b) => (b.forwardsTo === undefined ? [] : [b.forwardsTo])));
  const top = bars.filter((b) => b.bus !== 0 && !secondaries.has(b.bus)).sort((a, b) => a.start - b.start);
  const out: { bus: number; range: [number, number] }[] = [];
  for (const b of top) {
    const last = out[out.length - 1];
    if (last && last.bus === b.bus && b.start <= last.range[1] + 1) last.range[1] = Math.max(last.range[1], b.end);
    else out.push({ bus: b.bus, range: [b.start, b.end] });
  }
  return out;
}

/** `windows` less `holes`: what is left of each window, in order. */
function cutOut(windows: [number, number][], holes: [number, number][]): [number, number][] {
  return windows.flatMap(([start, end]) => {
    const left: [number, number][] = [];
    let from = start;
    for (const [hs, he] of [...holes].sort((a, b) => a[0] - b[0])) {
      if (he < from || hs > end) continue;
      if (hs > from) left.push([from, hs - 1]);
      from = he + 1;
    }
    if (from <= end) left.push([from, end]);
    return left;
  });
}
import type { PcConstants } from './qemu-pc';

export const fixedResources = (list: [number, number, string, number][], rule: string): FirmwareResource[] =>
  list.map(([start, end, name, depth]) => ({
    start,
    end,
    name,
    kind: 'fixed',
    depth: depth === 2 ? 2 : depth === 1 ? 1 : 0,
    why: why(rule, 'arch/x86/kernel/e820.c, arch/x86/pci/acpi.c'),
  }));

export const e820Reserved = (start: number, end: number, rule: string, depth: 0 | 1 = 0): FirmwareResource => ({
  start,
  end,
  name: 'Reserved',
  kind: 'e820-reserved',
  depth,
  why: why(rule, 'arch/x86/kernel/e820.c:e820__reserve_resources'),
});

export const pciWindow = (start: number, end: number, rule: Why, name = 'PCI Bus 0000:00'): FirmwareResource => ({
  start,
  end,
  name,
  kind: 'window',
  depth: 0,
  why: rule,
});

/** What a driver the kit loads at boot requests inside a BAR, at the given depth. */
export type DriverLines = (bar: PlacedBar, depth: 0 | 1 | 2 | 3) => FirmwareResource[];

/**
 * QEMU lists a CXL host bridge's register block among the expander's 32-bit ranges, so the free range after the
 * expanders' last range runs to just below the block, not to the end of the hole
 * (hw/i386/acpi-build.c crs_replace_with_free_ranges). It is written as a 32-bit descriptor: its limit cut to 32
 * bits, and the kernel keeps the window only where that limit is not below its base (drivers/acpi/resource.c
 * acpi_dev_resource_len_valid). Seen with the block at 0x200000000: fec00000-ffffffff; at 0x140000000, 0x260000000,
 * 0x2e0000000 and 0x380000000 no window, so a BAR SeaBIOS put after the expanders' ranges has none.
 */
function afterExpanders(expanders: [number, number][], hostRegs: number): { base: number; range?: [number, number] } {
  const base = Math.max(...expanders.map(([, end]) => end)) + 1;
  const limit = (hostRegs - 1) % 2 ** 32;
  return limit >= base ? { base, range: [base, limit] } : { base };
}

/**
 * A BAR outside every window of its root bus cannot be claimed; the kernel assigns it again, a 64-bit
 * prefetchable one from the 64-bit window, lowest first (drivers/pci/setup-bus.c
 * pci_assign_unassigned_root_bus_resources; seen: `BAR 4 [mem 0x340000000-0x340003fff 64bit pref]: assigned`).
 */
function reassign(orphans: PlacedBar[], pci64: FirmwareResource): PlacedBar[] {
  let next = pci64.start;
  return orphans.map((b) => {
    const size = b.end - b.start + 1;
    const start = Math.ceil(next / size) * size;
    next = start + size;
    return { ...b, start, end: start + size - 1 };
  });
}

export interface HoleOptions {
  driverLines?: DriverLines;
  /** the CXL host register area, when the machine has one */
  cxlHostRegs?: number;
  /** the 64-bit PCI window, where a BAR without a 32-bit window goes */
  pci64?: FirmwareResource;
}

/** `below`: the end of low RAM; `reserve`: what SeaBIOS keeps under it; `bars`: placed by SeaBIOS. */
export function holeResources(
  c: PcConstants,
  below: number,
  reserve: { bytes: number; holds: string[] },
  bars: PlacedBar[],
  { driverLines = () => [], cxlHostRegs, pci64 }: HoleOptions = {},
): FirmwareResource[] {
  const groups: FirmwareResource[][] = [
    [
      e820Reserved(
        below - reserve.bytes,
        below - 1,
        `SeaBIOS reserves ${hex(reserve.bytes)} bytes at the top of low RAM: ${reserve.holds.join(', ')}`,
      ),
    ],
  ];
  const windowRule = why('the 32-bit PCI window from the end of low RAM to the IOAPIC', 'arch/x86/pci/acpi.c');
  const afterRule = why(
    "pcie.0's range from the expander's last range to the CXL host register block, its limit cut to 32 bits",
    'hw/i386/acpi-build.c:crs_replace_with_free_ranges, aml_dword_memory; drivers/acpi/resource.c',
  );
  const expanders = expanderRanges(bars);
  const cut = cutOut(
    c.mmconfig
      ? [
          [below, c.mmconfig.start - 1],
          [c.mmconfig.end + 1, c.pci32End],
        ]
      : [[below, c.pci32End]],
    expanders.map((e) => e.range),
  );
  const after =
    cxlHostRegs !== undefined && expanders.length
      ? afterExpanders(
          expanders.map((e) => e.range),
          cxlHostRegs,
        )
      : undefined;
  const windows = after
    ? [...cut.filter(([start]) => start !== after.base), ...(after.range ? [after.range] : [])]
    : cut;
  const claim = (b: PlacedBar, depth: 1 | 2 | 3, rule?: Why): FirmwareResource[] => [
    {
      start: b.start,
      end: b.end,
      name: b.name,
      kind: b.forwardsTo === undefined ? 'fixed' : 'window',
      depth,
      why:
        rule ??
        why(
          b.forwardsTo === undefined
            ? `the BAR of ${b.what}, placed by SeaBIOS below 0xfec00000`
            : `the bridge window of ${b.what}, placed by SeaBIOS below 0xfec00000`,
          'drivers/pci/setup-res.c:pci_claim_resource',
        ),
    },
    ...(depth < 3 ? driverLines(b, (depth + 1) as 2 | 3) : []),
  ];
  const inWindow = (b: PlacedBar, [start, end]: [number, number]) => b.start >= start && b.end <= end;
  for (const w of windows) {
    const rule = after?.range === w ? afterRule : windowRule;
    groups.push([
      pciWindow(w[0], w[1], rule),
      ...bars.filter((b) => b.bus === 0 && inWindow(b, w)).flatMap((b) => claim(b, 1)),
    ]);
  }
  if (pci64) {
    const orphans = bars.filter((b) => b.bus === 0 && !windows.some((w) => inWindow(b, w)));
    const rule = why(
      'a BAR outside every window of pcie.0 is assigned again, from the 64-bit window',
      'drivers/pci/setup-bus.c:pci_assign_unassigned_root_bus_resources',
    );
    groups.push([pci64, ...reassign(orphans, pci64).flatMap((b) => claim(b, 1, rule))]);
  }
  const crsRule = why(
    "an expander bridge's window: its functions' BARs and bridge windows, adjacent ones merged; pcie.0's windows " +
      'leave them out',
    'hw/i386/acpi-build.c:build_crs, crs_replace_with_free_ranges',
  );
  for (const { bus, range } of expanders) {
    const [start, end] = range;
    const inside = bars.filter((b) => b.bus !== 0 && b.start >= start && b.end <= end);
    const depthOf = (b: PlacedBar) =>
      (1 +
        inside.filter((w) => w !== b && w.forwardsTo !== undefined && w.start <= b.start && w.end >= b.end).length) as
        1 | 2 | 3;
    groups.push([
      pciWindow(start, end, crsRule, `PCI Bus 0000:${hex2(bus)}`),
      ...inside.flatMap((b) => claim(b, depthOf(b))),
    ]);
  }
  if (c.mmconfig) {
    const { start, end, pnp } = c.mmconfig;
    const source = 'arch/x86/pci/mmconfig-shared.c:pci_mmcfg_late_insert_resources';
    groups.push([
      {
        start,
        end,
        name: 'PCI MMCONFIG 0000 [bus 00-ff]',
        kind: 'fixed',
        depth: 0,
        why: why('the PCI Express configuration window (MCFG), inserted over its e820 reservation', source),
      },
      e820Reserved(start, end, 'SeaBIOS reserves the MMCONFIG window in e820', 1),
      {
        start,
        end,
        name: pnp,
        kind: 'fixed',
        depth: 2,
        why: why("the DSDT's motherboard resource for MMCONFIG (PNP0C01)", 'drivers/pnp/system.c:reserve_range'),
      },
    ]);
  }
  const hole = c.hole.map(([start, end, name, depth]): [number, number, string, number] =>
    after?.range && start >= after.range[0] && start <= after.range[1]
      ? [start, end, name, depth + 1]
      : [start, end, name, depth],
  );
  groups.push(fixedResources(hole, 'fixed platform devices in the 4 GiB hole'));
  return groups.sort((a, b) => a[0]!.start - b[0]!.start).flat();
}
