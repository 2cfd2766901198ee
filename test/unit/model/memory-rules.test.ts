// The memory side of the kernel model on topologies beyond the shipped
// profiles: block size by RAM size, what offlining refuses, blocks across a
// NUMA boundary, memmap= forms and the hotplug policies of the command line.
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, parseQmpCommand } from '../../../src-shared/actions';
import { createModel } from '../../../src-shared/model';
import { hotplugPolicy } from '../../../src-shared/model/kernel/cmdline';
import { memoryBlockSize } from '../../../src-shared/model/kernel/block-size';
import { applyMemmap } from '../../../src-shared/model/kernel/memmap';
import { mhpSupportsMemmapOnMemory } from '../../../src-shared/model/kernel/memory-hotplug';
import { compareSnapshots } from '../../../src-shared/compare';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const model = (p: Record<string, unknown>) =>
  createModel(ProfileSchema.parse({ name: 'x', memory: { size: '2G' }, ...p }));

function run(m: ReturnType<typeof createModel>, line: string | object) {
  const p = typeof line === 'string' ? parseConsoleLine(line) : parseQmpCommand(line);
  if (p.kind !== 'action') throw new Error(`${JSON.stringify(line)}: ${p.reason}`);
  return m.apply(p.action);
}
const offline = (m: ReturnType<typeof createModel>, id: number) =>
  run(m, `echo offline > /sys/devices/system/memory/memory${id}/state`);

describe('memory block size (arch/x86/mm/init_64.c probe_memory_block_size, 6.1, under a hypervisor)', () => {
  it('is 128 MiB below 64 GiB of boot memory end, else the largest power of two up to 2 GiB dividing the end', () => {
    expect(memoryBlockSize(64 * GiB - 4096)).toBe(128 * MiB);
    expect(memoryBlockSize(66 * GiB)).toBe(2 * GiB);
    expect(memoryBlockSize(65 * GiB + 512 * MiB)).toBe(512 * MiB);
    expect(memoryBlockSize(2 ** 40 + 64 * GiB)).toBe(2 * GiB);
  });

  it('follows the end of RAM above 4 GiB of a big pc guest, not its size', () => {
    const blockSize = (size: string) => model({ memory: { size } }).snapshot().blockSizeBytes;
    expect(blockSize('60G')).toBe(128 * MiB); // RAM ends at 61 GiB
    expect(blockSize('63G')).toBe(2 * GiB); // 3 GiB below the hole, 60 above: ends at 64 GiB
    expect(blockSize('64G')).toBe(GiB); // ends at 65 GiB
    expect(blockSize('256G')).toBe(GiB); // ends at 257 GiB
  });
});

describe('offlining boot memory (memory_block_offline, offline_pages)', () => {
  it('refuses two zones and holes (EINVAL), the memmap at the node top and the lowest Normal block (EBUSY)', () => {
    const m = model({ memory: { size: '4G' } });
    expect(offline(m, 0)).toMatchObject({ exitCode: 1, output: 'sh: write error: Invalid argument\n' });
    expect(offline(m, 23)).toMatchObject({ exitCode: 1, output: 'sh: write error: Invalid argument\n' });
    expect(offline(m, 39)).toMatchObject({ exitCode: 1, output: 'sh: write error: Device or resource busy\n' });
    expect(offline(m, 32)).toMatchObject({ exitCode: 1, output: 'sh: write error: Device or resource busy\n' });
    for (const id of [38, 33, 22, 1]) expect(offline(m, id).exitCode).toBe(0);
  });

  it('counts a memmap= carve-out inside a block as a hole', () => {
    const m = model({ kernelArgs: ['memmap=100M!1G'] });
    expect(offline(m, 8).output).toBe('sh: write error: Invalid argument\n');
    expect(offline(m, 9).exitCode).toBe(0);
  });
});

describe('a block across a NUMA boundary (memory_block_add_nid)', () => {
  const numa = {
    cpus: 2,
    numa: [
      { node: 0, cpus: [0], memory: '1088M' },
      { node: 1, cpus: [1], memory: '960M' },
    ],
  };

  it('is linked from both nodes, belongs to the last, shows valid_zones none and cannot go offline', () => {
    const m = model(numa);
    const s = m.snapshot();
    expect(s.memoryBlocks.find((b) => b.id === 8)).toMatchObject({ zones: 'none', node: 1, state: 'online' });
    expect(s.numa.nodes.map((n) => n.blocks.includes(8))).toEqual([true, true]);
    expect(s.memoryBlocks.find((b) => b.id === 7)).toMatchObject({ zones: 'DMA32', node: 0 });
    expect(offline(m, 8).output).toBe('sh: write error: Invalid argument\n');
    expect(offline(m, 7).exitCode).toBe(0);
    expect(offline(m, 9).exitCode).toBe(0);
  });
});

describe('memmap= (arch/x86/kernel/e820.c parse_memmap_one)', () => {
  const ram = [{ start: 0x100000, end: 0x7ffdffff, type: 1 }];

  it('converts only the old type with %-old+new, adds with !, $ and %+new; neighbouring pmem stays apart', () => {
    const { table } = applyMemmap(ram, ['memmap=64M%0x70000000-1+2', 'memmap=64M!1G', 'memmap=64M!0x44000000']);
    // e820_nomerge: two adjacent persistent entries stay two (two regions); RAM around them merges back
    expect(table).toEqual([
      { start: 0x100000, end: 0x3fffffff, type: 1 },
      { start: 0x40000000, end: 0x43ffffff, type: 12 },
      { start: 0x44000000, end: 0x47ffffff, type: 12 },
      { start: 0x48000000, end: 0x6fffffff, type: 1 },
      { start: 0x70000000, end: 0x73ffffff, type: 2 },
      { start: 0x74000000, end: 0x7ffdffff, type: 1 },
    ]);
    expect(applyMemmap(ram, ['memmap=16M%0x90000000-1+2']).table).toEqual(ram);
    expect(applyMemmap(ram, ['memmap=16M$0x10000000']).table[1]).toEqual({
      start: 0x10000000,
      end: 0x10ffffff,
      type: 2,
    });
  });

  it('reports the forms it does not carry out instead of dropping them', () => {
    const { table, notModelled } = applyMemmap(ram, [
      'memmap=exactmap',
      'memmap=1G',
      'memmap=16M%1G+7',
      'memmap=1M#2G',
    ]);
    expect(notModelled).toEqual(['memmap=exactmap', 'memmap=1G', 'memmap=16M%1G+7', 'memmap=1M#2G']);
    expect(table).toEqual(ram);
  });

  it('numbers legacy regions by address; one outside every node has numa_node and target_node -1', () => {
    const m = model({ kernelArgs: ['memmap=256M!8G', 'memmap=100M!1G'] });
    const regions = m.snapshot().nd.regions;
    expect(regions.map((r) => [r.name, r.size, r.numaNode, r.targetNode])).toEqual([
      ['region0', 100 * MiB, 0, 0],
      ['region1', 256 * MiB, -1, -1],
    ]);
  });
});

describe('hotplug policies on the command line', () => {
  it('reads memhp_default_state, movable_node and memmap_on_memory, and lists everything else', () => {
    expect(hotplugPolicy(['memhp_default_state=online_movable', 'quiet', 'memmap=1G!4G'])).toEqual({
      autoOnline: 'online_movable',
      movableNode: false,
      memmapOnMemory: false,
      notModelled: ['quiet'],
    });
    const p = hotplugPolicy(['memhp_default_state=bogus', 'movable_node', 'memory_hotplug.memmap_on_memory']);
    expect(p).toMatchObject({ autoOnline: 'offline', movableNode: true, memmapOnMemory: true, notModelled: [] });
  });

  it('onlines hot-added DIMMs into Movable at once; a one-block DIMM carries its memmap (126 MiB in MemTotal)', () => {
    const args = ['memhp_default_state=online', 'movable_node', 'memory_hotplug.memmap_on_memory=1', 'nokaslr'];
    const m = model({ memory: { size: '2G', slots: 4, maxmem: '8G' }, kernelArgs: args });
    expect(m.state.kernel.notModelled).toEqual(['nokaslr']);
    const memTotal = () => m.snapshot().numa.nodes[0]!.memTotalKiB;
    const plug = (id: string, size: number) => {
      const before = memTotal();
      run(m, { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id, size } });
      run(m, { execute: 'device_add', arguments: { driver: 'pc-dimm', id: `d${id}`, memdev: id } });
      return (memTotal() - before) / 1024;
    };
    expect(plug('a', 128 * MiB)).toBe(126);
    expect(plug('b', 256 * MiB)).toBe(256);
    const blocks = m.snapshot().memoryBlocks.filter((b) => b.id >= 32);
    expect(blocks.map((b) => [b.id, b.state, b.zones])).toEqual([
      [32, 'online', 'Movable'],
      [33, 'online', 'Movable'],
      [34, 'online', 'Movable'],
    ]);
    offline(m, 33);
    expect(m.snapshot().memoryBlocks.find((b) => b.id === 33)?.zones).toBe('Movable Normal');
  });

  it('asks mhp_supports_memmap_on_memory: the parameter, one whole block, whole PMDs and pageblocks', () => {
    const kernel = (kernelArgs: string[], size = '2G') => model({ memory: { size }, kernelArgs }).state.kernel;
    const on = kernel(['memory_hotplug.memmap_on_memory=1']);
    expect(mhpSupportsMemmapOnMemory(on, 128 * MiB)).toBe(true);
    expect(mhpSupportsMemmapOnMemory(on, 256 * MiB)).toBe(false);
    expect(mhpSupportsMemmapOnMemory(kernel([]), 128 * MiB)).toBe(false);
    // 1 GiB blocks: 16 MiB of memmap, whole PMDs
    expect(mhpSupportsMemmapOnMemory(kernel(['memory_hotplug.memmap_on_memory=1'], '64G'), GiB)).toBe(true);
  });

  it('marks the block holding its memmap in the snapshot, outside the fidelity comparison', () => {
    const m = model({
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      kernelArgs: ['memory_hotplug.memmap_on_memory'],
    });
    for (const [id, size] of [
      ['a', 128 * MiB],
      ['b', 256 * MiB],
    ] as const) {
      run(m, { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id, size } });
      run(m, { execute: 'device_add', arguments: { driver: 'pc-dimm', id: `d${id}`, memdev: id } });
    }
    const snap = m.snapshot();
    const hot = snap.memoryBlocks.filter((b) => b.id >= 32);
    expect(hot.map((b) => [b.id, b.state, b.nrVmemmapPages])).toEqual([
      [32, 'offline', 512],
      [33, 'offline', undefined],
      [34, 'offline', undefined],
    ]);
    // the guest shows nothing per block: the same blocks without the field match in full
    const real = { ...snap, memoryBlocks: snap.memoryBlocks.map((b) => ({ ...b, nrVmemmapPages: undefined })) };
    const { blocks } = compareSnapshots(real, snap).fidelity.byDimension;
    expect(blocks.matched).toBe(blocks.total);
  });
});
