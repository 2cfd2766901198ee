// The differences as `pmem-lab run` prints them, one line per side and dimension.
import { describe, expect, it } from 'vitest';
import { compare } from '../../../src-shared/compare';
import { differenceLines, fidelityLine } from '../../../src-shared/report/text';
import type { Snapshot } from '../../../src-shared/snapshot/types';
import { snapshotOf } from '../snapshot-of';

const side = (zones: string, memTotalKiB: number, holder?: string): Snapshot => ({
  ...snapshotOf('00000000-00000fff : Reserved\n'),
  memoryBlocks: [{ id: 33, state: 'offline', zones, node: 0 }],
  nd: {
    regions: [],
    namespaces: [{ name: 'namespace0.0', region: 'region0', mode: 'memory', size: 64, ...(holder ? { holder } : {}) }],
  },
  numa: { nodes: [{ id: 0, memTotalKiB, cpus: '0-1', blocks: [0, 1, 2, 33] }] },
});

describe('run: differences per dimension', () => {
  const c = compare({
    real: side('Normal Movable', 1947844, 'pfn0.0'),
    model: side('Movable', 2097152),
    step: { qmp: false, real: { output: 'ls\n', exitCode: 0 }, model: { exitCode: 0 } },
  });

  it('prints each differing row once per side, and what is not counted', () => {
    expect(differenceLines(c)).toEqual([
      '[blocks] - real  memory33 offline node0 [Normal Movable]',
      '[blocks] + model memory33 offline node0 [Movable]',
      '[output] - real  ls  (not counted)',
      '[buses] - real  namespace0.0 mode=memory size=64 holder=pfn0.0',
      '[buses] + model namespace0.0 mode=memory size=64 holder=-',
      '[nodes] - real  node0 MemTotal=1947844 kB blocks=0-2,33',
      '[nodes] + model node0 MemTotal=2097152 kB blocks=0-2,33',
    ]);
  });

  it('sums up the dimensions that counted something', () => {
    expect(fidelityLine(c.fidelity)).toBe('2/8 (iomem 1/1, blocks 0/2, exit 1/1, buses 0/2, nodes 0/2)');
  });
});
