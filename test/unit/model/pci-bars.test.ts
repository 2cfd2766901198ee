import { describe, expect, it } from 'vitest';
import { seabiosPlaceBars, type PciFunction } from '../../../src-shared/model/platform/pci';

const fn = (slot: number, what: string, ...bars: [number, number, boolean][]): PciFunction => ({
  slot,
  fn: 0,
  what,
  bars: bars.map(([index, size, prefetch]) => ({ index, size, prefetch })),
});
const lines = (fns: PciFunction[]) =>
  seabiosPlaceBars(fns).map((b) => `${b.start.toString(16)}-${b.end.toString(16)} ${b.name}`);

describe('SeaBIOS BAR placement (pciinit.c)', () => {
  it("puts q35's AHCI BAR at the top of the 32-bit window", () => {
    // seen on every q35 guest: febff000-febfffff : 0000:00:1f.2
    expect(lines([{ ...fn(0x1f, 'ahci', [5, 0x1000, false]), fn: 2 }])).toEqual(['febff000-febfffff 0000:00:1f.2']);
  });

  it('stacks the region of larger alignment on top', () => {
    // seen on pc with a virtio-mem-pci device: its 16 KiB prefetchable BAR 4 at febfc000-febfffff
    expect(lines([fn(2, 'virtio', [4, 0x4000, true])])).toEqual(['febfc000-febfffff 0000:00:02.0']);
    // both regions: the prefetchable one (16 KiB alignment) on top, the 4 KiB one right below it
    expect(lines([{ ...fn(0x1f, 'ahci', [5, 0x1000, false]), fn: 2 }, fn(1, 'virtio', [4, 0x4000, true])])).toEqual([
      'febfb000-febfbfff 0000:00:1f.2',
      'febfc000-febfffff 0000:00:01.0',
    ]);
  });

  it('hands out a region largest first, equal sizes in bus order, from a base aligned down to the largest', () => {
    // 0xfec00000 - 24 KiB aligned down to 16 KiB: febf8000, leaving the top 8 KiB unused
    expect(
      lines([
        fn(3, 'small', [0, 0x1000, false]),
        fn(4, 'big', [0, 0x4000, false]),
        fn(5, 'small2', [0, 0x1000, false]),
      ]),
    ).toEqual(['febf8000-febfbfff 0000:00:04.0', 'febfc000-febfcfff 0000:00:03.0', 'febfd000-febfdfff 0000:00:05.0']);
  });
});
