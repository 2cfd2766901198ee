// libnvdimm rules seen on real guests (docs/model.md), checked on topologies
// no recording covers: several NVDIMMs, several nodes, regions tried in turn.
import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../src-shared/actions';
import { createModel } from '../../../src-shared/model';
import { nearestOnlineNode } from '../../../src-shared/model/kernel/region';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const MiB = 2 ** 20;

function run(profile: unknown, lines: string[]) {
  const m = createModel(ProfileSchema.parse(profile));
  const results = lines.map((line) => {
    const p = parseConsoleLine(line);
    if (p.kind !== 'action') throw new Error(p.reason);
    return m.apply(p.action);
  });
  return { m, results };
}

// ids whose NFIT order is their profile order (platform/nfit-order.ts), so region0 is the first
const TWO = {
  name: 'two',
  memory: { size: '2G', slots: 4, maxmem: '8G' },
  nvdimms: [
    { id: 'nvdimm0', size: '256M', labels: 'none' },
    { id: 'nvdimm1', size: '512M', labels: '128K' },
  ],
};

describe('namespace creation across regions', () => {
  it('passes over a region whose namespace is active and takes the next with room', () => {
    const { m, results } = run(TWO, [
      'ndctl create-namespace -m devdax',
      'ndctl create-namespace -f -e namespace1.0 -m raw',
      'ndctl destroy-namespace -f namespace1.0',
      'ndctl create-namespace -m devdax -s 128M',
      'ndctl create-namespace -m devdax',
    ]);
    expect(results.map((r) => r.exitCode)).toEqual([237, 0, 0, 237, 0]);
    // any refusal other than "no room" ends the search (do_xaction_namespace returns it)
    expect(results[3]!.output).toContain('Legacy / label-less namespaces do not support sub-dividing a region');
    expect(results[0]!.output).toBe('failed to create namespace: No space left on device\n');
    const ns = m.snapshot().nd.namespaces.map((n) => [n.name, n.mode, n.size]);
    expect(ns).toEqual([
      ['namespace0.0', 'raw', 256 * MiB],
      ['namespace1.0', 'dax', 512 * MiB],
      ['namespace1.1', 'raw', 0],
    ]);
  });

  it("places the second NVDIMM right after the first one's region (its label area takes no room)", () => {
    const { m } = run({ ...TWO, nvdimms: [...TWO.nvdimms].reverse() }, []);
    const regions = m
      .snapshot()
      .iomem.split('\n')
      .filter((l) => l.endsWith(': Persistent Memory'));
    expect(regions).toEqual(['100000000-11fffffff : Persistent Memory', '120000000-12fffffff : Persistent Memory']);
  });
});

describe('numa_node of a region (numa_map_to_online_node)', () => {
  it('is the node itself when online, else the lowest online node', () => {
    expect(nearestOnlineNode(1, new Set([0, 1]))).toBe(1);
    expect(nearestOnlineNode(2, new Set([1, 0]))).toBe(0);
    expect(nearestOnlineNode(3, new Set([2]))).toBe(2);
  });
  it('counts a node with CPUs and no memory as online', () => {
    const profile = {
      name: 'cpu-only',
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      numa: [
        { node: 0, cpus: [0], memory: '2G' },
        { node: 1, cpus: [1], memory: 0 },
        { node: 2, cpus: [], memory: 0 },
      ],
      nvdimms: [
        { id: 'nvdimm0', size: '256M', labels: 'none', node: 1 },
        { id: 'nvdimm1', size: '256M', labels: 'none', node: 2 },
      ],
    };
    const regions = run(profile, [])
      .m.snapshot()
      .nd.regions.map((r) => [r.numaNode, r.targetNode]);
    expect(regions).toEqual([
      [1, 1],
      [0, 2],
    ]);
  });
});
