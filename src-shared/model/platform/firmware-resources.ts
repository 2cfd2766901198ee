// The resources the firmware describes between the end of low RAM and 4 GiB:
// SeaBIOS's reserve at the top of low RAM, the host bridge's 32-bit PCI
// window (split around the MMCONFIG window on q35) with the BARs SeaBIOS
// placed in it, and the fixed devices of the 4 GiB hole.
import { hex } from '../../units';
import { why, type Why } from '../why';
import type { FirmwareResource } from './machine';
import type { PlacedBar } from './pci';
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

export const pciWindow = (start: number, end: number, rule: Why): FirmwareResource => ({
  start,
  end,
  name: 'PCI Bus 0000:00',
  kind: 'window',
  depth: 0,
  why: rule,
});

/** `below`: the end of low RAM; `reserve`: what SeaBIOS keeps under it. */
export function holeResources(
  c: PcConstants,
  below: number,
  reserve: { bytes: number; holds: string[] },
  bars: PlacedBar[],
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
  const windows: [number, number][] = c.mmconfig
    ? [
        [below, c.mmconfig.start - 1],
        [c.mmconfig.end + 1, c.pci32End],
      ]
    : [[below, c.pci32End]];
  for (const [start, end] of windows) {
    if (end < start) continue;
    const inside = bars.filter((b) => b.start >= start && b.end <= end);
    groups.push([
      pciWindow(start, end, windowRule),
      ...inside.map((b): FirmwareResource => ({
        start: b.start,
        end: b.end,
        name: b.name,
        kind: 'fixed',
        depth: 1,
        why: why(
          `the BAR of ${b.what}, placed by SeaBIOS below 0xfec00000`,
          'drivers/pci/setup-res.c:pci_claim_resource',
        ),
      })),
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
  groups.push(fixedResources(c.hole, 'fixed platform devices in the 4 GiB hole'));
  return groups.sort((a, b) => a[0]!.start - b[0]!.start).flat();
}
