// Every required profile boots on real QEMU under TCG and its snapshot shows
// what the kernel is known to do with that topology.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { boot, childrenOf, findLine, stopAll, GiB, iomemLines } from './helpers';
import { loadProfile } from '../../src-main/store/profiles';
import { estimatedHostRss } from '../../src-shared/profile/cost';

afterEach(stopAll);

describe('required profiles on a real guest', () => {
  it('nvdimm-1g-labels: a 1 GiB "Persistent Memory" range at 4 GiB with namespace0.0 under it', async () => {
    const vm = await boot('nvdimm-1g-labels');
    const s = await vm.snapshot();
    expect(s.problems).toEqual([]);
    expect(s.kernel).toMatch(/^\d+\.\d+/);
    const pmem = findLine(s, 'Persistent Memory')!;
    expect(pmem).toMatchObject({ depth: 0, start: 4 * GiB, end: 5 * GiB - 1 });
    expect(childrenOf(s, pmem).map((l) => l.name)).toEqual(['namespace0.0']);
    expect(s.nd.regions).toMatchObject([{ name: 'region0', size: GiB, align: 16 * 2 ** 20 }]);
    // A fresh label area holds no index: the region boots label-less.
    expect(s.nd.namespaces).toMatchObject([{ name: 'namespace0.0', mode: 'raw', size: GiB }]);
    expect(s.blockSizeBytes).toBe(128 * 2 ** 20);
    expect(s.autoOnlineBlocks).toBe('offline');
    expect(s.memoryBlocks.map((b) => b.id)).toEqual([...Array(16).keys()]);
    expect(s.memoryBlocks.every((b) => b.state === 'online' && b.node === 0)).toBe(true);
    // qemu64 with RDRAND under TCG (qemu/argv.ts): the random pool is ready by the first snapshot, so ndctl's
    // first uuid does not wait for it (without the flag, "crng init done" came seconds later)
    expect(s.log).toContain('random: crng init done');
  });

  it('nvdimm-1g-labelless: one raw namespace over the whole region', async () => {
    const vm = await boot('nvdimm-1g-labelless');
    const s = await vm.snapshot();
    expect(findLine(s, 'Persistent Memory')).toMatchObject({ start: 4 * GiB, end: 5 * GiB - 1 });
    expect(s.nd.namespaces).toMatchObject([{ name: 'namespace0.0', size: GiB }]);
  });

  it('numa-pmem-node: the 2 GiB NVDIMM targets memory-only node 1, which has no memory yet', async () => {
    const vm = await boot('numa-pmem-node');
    const s = await vm.snapshot();
    expect(findLine(s, 'Persistent Memory')).toMatchObject({ start: 4 * GiB, end: 6 * GiB - 1 });
    expect(s.nd.regions[0]).toMatchObject({ size: 2 * GiB, targetNode: 1 });
    expect(s.numa.nodes.map((n) => n.id)).toEqual([0]);
    expect(s.numa.nodes[0]!.cpus).toBe('0,1');
  });

  it('legacy-memmap: memmap=512M!1G carves "Persistent Memory (legacy)" out of System RAM', async () => {
    const vm = await boot('legacy-memmap');
    const s = await vm.snapshot();
    const lines = iomemLines(s).filter((l) => l.depth === 0);
    const i = lines.findIndex((l) => l.name === 'Persistent Memory (legacy)');
    expect(lines[i]).toMatchObject({ start: GiB, end: 1.5 * GiB - 1 });
    expect(lines[i - 1]).toMatchObject({ name: 'System RAM', end: GiB - 1 });
    expect(lines[i + 1]).toMatchObject({ name: 'System RAM', start: 1.5 * GiB });
    // Without slots/maxmem the 64-bit PCI window starts right at 4 GiB.
    expect(lines.find((l) => l.start === 4 * GiB)?.name).toBe('PCI Bus 0000:00');
  });

  it('dimm-hotplug: no persistent memory, 2 GiB of boot RAM in 16 blocks', async () => {
    const vm = await boot('dimm-hotplug');
    const s = await vm.snapshot();
    expect(findLine(s, 'Persistent Memory')).toBeUndefined();
    expect(s.nd.regions).toEqual([]);
    expect(s.memoryBlocks).toHaveLength(16);
  });

  it('big-64g: a guest bigger than the host boots with its RAM unreserved, in 1 GiB blocks', async () => {
    const vm = await boot('big-64g');
    const s = await vm.snapshot();
    expect(s.blockSizeBytes).toBe(GiB);
    expect(s.memoryBlocks).toHaveLength(64); // 0-2 and 4-64: the 4 GiB hole has none
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${vm.pid}/status`, 'utf8'))![1]) * 1024;
    expect(rss).toBeLessThan(estimatedHostRss(await loadProfile('big-64g')));
  });

  it('a QEMU that refuses to start is reported at once with its stderr', async () => {
    // past validation on purpose: 1012 GiB needs more than qemu64's 40 physical address bits
    const profile = await loadProfile('dimm-hotplug');
    const t0 = performance.now();
    const err = await boot({ ...profile, memory: { size: 1012 * GiB } }).then(
      () => 'booted',
      (e: Error) => e.message,
    );
    expect(err).toMatch(/QEMU exited while booting \(code 1\): .*phys-bits too low \(40\)/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
