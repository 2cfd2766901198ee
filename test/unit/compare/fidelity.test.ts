import { describe, expect, it } from 'vitest';
import { compareSnapshots } from '../../../src-shared/compare';
import type { Snapshot } from '../../../src-shared/snapshot/types';

const snap = (iomem: string, blocks: [number, string, number][], zones = 'Normal'): Snapshot => ({
  kernel: 'x',
  iomem,
  blockSizeBytes: 0x8000000,
  autoOnlineBlocks: 'offline',
  memoryBlocks: blocks.map(([id, state, node]) => ({ id, state, zones, node })),
  nd: { regions: [], namespaces: [] },
  dax: { devices: [] },
  numa: { nodes: [] },
});

describe('fidelity (README "The command line")', () => {
  it('counts the union and intersection of iomem lines and blocks (id, state, node, zones), no kernel image', () => {
    const real = snap(
      '00100000-7ffdefff : System RAM\n  01000000-01e01d31 : Kernel code\n100000000-13fffffff : Persistent Memory\n' +
        '  100000000-1011fffff : namespace0.0\n',
      [
        [0, 'online', 0],
        [33, 'online', 0],
      ],
    );
    const model = snap(
      '00100000-7ffdefff : System RAM\n  01000000-01ffffff : Kernel code\n100000000-13fffffff : Persistent Memory\n' +
        '  100000000-13fffffff : namespace0.0\n',
      [
        [0, 'online', 0],
        [33, 'offline', 0],
      ],
    );
    const c = compareSnapshots(real, model);
    // iomem: 2 shared, 1 real-only, 1 model-only -> 4; blocks: 1 shared, 2 differing -> 3.
    expect(c.fidelity).toMatchObject({ matched: 3, total: 7 });
    expect(c.fidelity.byDimension).toMatchObject({ iomem: { matched: 2, total: 4 }, blocks: { matched: 1, total: 3 } });
    expect(c.iomem.filter((r) => r.side !== 'both').map((r) => `${r.side} ${r.text}`)).toEqual([
      'real   100000000-1011fffff : namespace0.0',
      'model   100000000-13fffffff : namespace0.0',
    ]);
    expect(c.blocks.find((b) => b.id === 33)?.side).toBe('real');
  });

  it('leaves out the adapter ROM line, which a guest shows only when a changing ROM image happens to checksum', () => {
    // recorded from a dimm-hotplug guest: the line appeared in one boot of about 256
    const real = snap(
      '0009fc00-000fffff : Reserved\n  000c0000-000c7fff : Video ROM\n  000e8800-000effff : Adapter ROM\n' +
        '  000f0000-000fffff : System ROM\n',
      [],
    );
    const model = snap(
      '0009fc00-000fffff : Reserved\n  000c0000-000c7fff : Video ROM\n  000f0000-000fffff : System ROM\n',
      [],
    );
    const c = compareSnapshots(real, model);
    expect(c.fidelity).toMatchObject({ matched: 3, total: 3 });
    expect(c.iomem.every((r) => r.side === 'both')).toBe(true);
    // a ROM line the metric does count still differs
    expect(
      compareSnapshots(snap(real.iomem.replace('Adapter ROM', 'Extension ROM'), []), model).fidelity,
    ).toMatchObject({
      matched: 3,
      total: 4,
    });
  });

  it('is total on identical snapshots', () => {
    const s = snap('00000000-00000fff : Reserved\n', [[1, 'online', 0]]);
    expect(compareSnapshots(s, s).fidelity).toMatchObject({ matched: 2, total: 2 });
  });

  it('counts a block whose valid_zones differ as two items, one per side', () => {
    const c = compareSnapshots(
      snap('', [[32, 'offline', 0]], 'Normal Movable'),
      snap('', [[32, 'offline', 0]], 'Movable'),
    );
    expect(c.fidelity.byDimension.blocks).toEqual({ matched: 0, total: 2 });
    expect(c.blocks).toMatchObject([
      { side: 'real', id: 32, real: { zones: 'Normal Movable' }, model: { zones: 'Movable' } },
    ]);
  });
});
