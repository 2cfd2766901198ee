// The mechanisms the lab exists for, on a real guest: devdax + kmem and a
// pc-dimm hotplug through QMP.
import { afterEach, describe, expect, it } from 'vitest';
import { boot, childrenOf, findLine, stopAll, GiB, MiB } from './helpers';
import { runStep } from '../../src-main/guest/runner';

afterEach(stopAll);

describe('real flows', () => {
  it('devdax then kmem: System RAM (kmem) nests under dax0.0, aligned up to the 128 MiB block', async () => {
    const vm = await boot('nvdimm-1g-labels');
    const dev = await vm.run('ndctl create-namespace -f -e namespace0.0 -m devdax');
    expect(dev.exitCode, dev.output).toBe(0);
    let s = await vm.snapshot();
    const pmem = findLine(s, 'Persistent Memory')!;
    // 1 GiB devdax keeps 18 MiB for the page map and info block.
    expect(childrenOf(s, pmem)).toMatchObject([
      { name: 'namespace0.0', start: 4 * GiB, end: 4 * GiB + 18 * MiB - 1 },
      { name: 'dax0.0', start: 4 * GiB + 18 * MiB, end: 5 * GiB - 1 },
    ]);
    expect(s.dax.devices).toMatchObject([{ name: 'dax0.0', driver: 'device_dax', mode: 'devdax' }]);

    const kmem = await vm.run('daxctl reconfigure-device --mode=system-ram dax0.0');
    expect(kmem.exitCode, kmem.output).toBe(0);
    s = await vm.snapshot();
    const dax = findLine(s, 'dax0.0')!;
    expect(dax).toMatchObject({ depth: 1, start: 0x108000000, end: 5 * GiB - 1 });
    expect(childrenOf(s, dax)).toMatchObject([{ name: 'System RAM (kmem)', start: 0x108000000, end: 5 * GiB - 1 }]);
    expect(s.dax.devices[0]).toMatchObject({ driver: 'kmem', mode: 'system-ram' });
    const kmemBlocks = s.memoryBlocks.filter((b) => b.id >= 33);
    expect(kmemBlocks.map((b) => b.id)).toEqual([33, 34, 35, 36, 37, 38, 39]);
    expect(kmemBlocks.every((b) => b.state === 'online' && b.zones === 'Movable')).toBe(true);
  });

  it('pc-dimm hotplug through QMP: offline System RAM at 4 GiB, blocks 32-35', async () => {
    const vm = await boot('dimm-hotplug');
    await runStep(
      vm,
      { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'hp1', size: 512 * MiB } } },
      1,
    );
    const r = await runStep(
      vm,
      { qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'dimm1', memdev: 'hp1' } } },
      2,
    );
    expect(r.exitCode).toBe(0);
    const s = r.snapshot;
    expect(s.iomem).toContain('\n100000000-11fffffff : System RAM\n');
    const added = s.memoryBlocks.filter((b) => b.id >= 32);
    expect(added.map((b) => [b.id, b.state, b.zones])).toEqual(
      [32, 33, 34, 35].map((id) => [id, 'offline', 'Normal Movable']),
    );
  });

  it("a QMP error is the step's output, with exit code 1", async () => {
    const vm = await boot('dimm-hotplug');
    const r = await runStep(vm, { qmp: { execute: 'device_del', arguments: { id: 'nope' } } }, 1);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.output)).toMatchObject({ error: { class: 'DeviceNotFound' } });
  });
});
