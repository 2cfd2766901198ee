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

  it('stacks the prefetchable region on top, unless the other has the smaller alignment', () => {
    // seen on pc with a virtio-mem-pci device: its 16 KiB prefetchable BAR 4 at febfc000-febfffff
    expect(lines([fn(2, 'virtio', [4, 0x4000, true])])).toEqual(['febfc000-febfffff 0000:00:02.0']);
    // both regions (seen on q35 with two virtio-mem-pci devices, virtio-mem-q35): the 4 KiB one on top, the
    // prefetchable one (16 KiB alignment) below it, its base aligned down to 16 KiB
    expect(
      lines([
        { ...fn(0x1f, 'ahci', [5, 0x1000, false]), fn: 2 },
        fn(1, 'virtio', [4, 0x4000, true]),
        fn(2, 'virtio', [4, 0x4000, true]),
      ]),
    ).toEqual(['febf4000-febf7fff 0000:00:01.0', 'febf8000-febfbfff 0000:00:02.0', 'febff000-febfffff 0000:00:1f.2']);
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

  it("puts the windows of bridges on a root bus into bus 0's regions, and what is behind them inside", () => {
    // seen on q35 with a pxb-cxl (bus 0c), two cxl-rp root ports and a cxl-type3 behind each
    const type3 = (bus: number): PciFunction => ({
      bus,
      ...fn(0, 'type3', [0, 0x10000, false], [2, 0x1000, false], [4, 0x1000, false]),
    });
    const rp = (slot: number, secondary: number): PciFunction => ({
      bus: 0x0c,
      ...fn(slot, 'rp', [0, 0x10000, false]),
      bridge: { secondary, functions: [type3(secondary)] },
    });
    const ahci = { ...fn(0x1f, 'ahci', [5, 0x1000, false]), fn: 2 };
    expect(lines([ahci, rp(0, 0x0d), rp(1, 0x0e)])).toEqual([
      'fe200000-fe3fffff PCI Bus 0000:0e',
      'fe200000-fe20ffff 0000:0e:00.0',
      'fe210000-fe210fff 0000:0e:00.0',
      'fe211000-fe211fff 0000:0e:00.0',
      'fe400000-fe5fffff PCI Bus 0000:0d',
      'fe400000-fe40ffff 0000:0d:00.0',
      'fe410000-fe410fff 0000:0d:00.0',
      'fe411000-fe411fff 0000:0d:00.0',
      'fe600000-fe60ffff 0000:0c:00.0',
      'fe610000-fe61ffff 0000:0c:01.0',
      'fe620000-fe620fff 0000:00:1f.2',
      'fe800000-fe9fffff PCI Bus 0000:0e',
      'fea00000-febfffff PCI Bus 0000:0d',
    ]);
    expect(lines([ahci, rp(0, 0x0d)])).toEqual([
      'fe600000-fe7fffff PCI Bus 0000:0d',
      'fe600000-fe60ffff 0000:0d:00.0',
      'fe610000-fe610fff 0000:0d:00.0',
      'fe611000-fe611fff 0000:0d:00.0',
      'fe800000-fe80ffff 0000:0c:00.0',
      'fe810000-fe810fff 0000:00:1f.2',
      'fea00000-febfffff PCI Bus 0000:0d',
    ]);
  });
});
