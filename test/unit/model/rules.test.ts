// Single rules, with values the kernel is known to produce.
import { describe, expect, it } from 'vitest';
import { nsToPfnOffset } from '../../../src-shared/model/kernel/pfn';
import {
  createRoot,
  insertResource,
  IORESOURCE_SYSTEM_RAM,
  regionIntersects,
  releaseRegion,
  removeResource,
  requestRegion,
  Resource,
  ResourceBusyError,
  walk,
  walkSystemRamRange,
} from '../../../src-shared/model/kernel/resource';
import { memoryBlockSize } from '../../../src-shared/model/kernel/block-size';
import { MemoryBlocks } from '../../../src-shared/model/kernel/memory-blocks';
import { createModel, type KernelRules } from '../../../src-shared/model';
import { ProfileSchema } from '../../../src-shared/profile/schema';
import { parseConsoleLine, parseModelOnlyLine } from '../../../src-shared/actions';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
/** 2 GiB of RAM, room for DIMMs, one 1 GiB NVDIMM (label-less unless labels are asked for) */
const NVDIMM_1G = (labels?: string) =>
  ProfileSchema.parse({
    name: 'x',
    memory: { size: '2G', slots: 4, maxmem: '8G' },
    nvdimms: [{ id: 'nv', size: '1G', ...(labels ? { labels } : {}) }],
  });
const names = (root: Resource) => [...walk(root)].map(({ res, depth }) => `${depth}:${res.name}`);

/** A console line (or a model-only line) applied to the model, as a scenario step would be. */
function apply(m: ReturnType<typeof createModel>, line: string, modelOnly = false) {
  const p = modelOnly ? parseModelOnlyLine(line) : parseConsoleLine(line);
  if (p.kind !== 'action') throw new Error(`${line}: ${p.reason}`);
  return m.apply(p.action);
}

describe('resource tree (kernel/resource.c)', () => {
  it('nests a region request under non-busy parents and refuses busy or partial overlaps', () => {
    const root = createRoot();
    root.children.push(Object.assign(new Resource(4 * GiB, 5 * GiB - 1, 'Persistent Memory'), { parent: root }));
    const ns = requestRegion(root, 4 * GiB, 18 * MiB, 'namespace0.0');
    expect(ns.parent!.name).toBe('Persistent Memory');
    expect(() => requestRegion(root, 4 * GiB + MiB, MiB, 'inside-busy')).toThrow(ResourceBusyError);
    expect(() => requestRegion(root, 5 * GiB - MiB, 2 * MiB, 'sticks-out')).toThrow(/conflicts with Persistent Memory/);
    expect(releaseRegion(root, 4 * GiB, 18 * MiB)).toBe(true);
    expect(releaseRegion(root, 4 * GiB, 18 * MiB)).toBe(false);
  });

  it('insert adopts the siblings the new range covers; remove moves children up', () => {
    const root = createRoot();
    requestRegion(root, 0x1000, 0x1000, 'a');
    requestRegion(root, 0x3000, 0x1000, 'b');
    const parent = new Resource(0, 0xffff, 'window');
    expect(insertResource(root, parent)).toBeUndefined();
    expect(names(root)).toEqual(['0:window', '1:a', '1:b']);
    removeResource(parent);
    expect(names(root)).toEqual(['0:a', '0:b']);
    expect(insertResource(root, new Resource(0x1800, 0x3800, 'partial'))?.name).toBe('a');
  });
});

describe('page map reservation (nd_pfn_init)', () => {
  const ns = (start: number, size: number, map: 'dev' | 'mem' = 'dev', align = 2 * MiB) =>
    nsToPfnOffset({ name: 'namespace0.0', start, size, map, align }, 'dax0.0');
  it('keeps 18 MiB of 1 GiB, 34 MiB of 2 GiB, 10 MiB of 512 MiB and 2 MiB of 64 MiB (seen on real guests)', () => {
    expect(ns(4 * GiB, GiB).offset).toBe(18 * MiB);
    expect(ns(4 * GiB, 2 * GiB).offset).toBe(34 * MiB);
    expect(ns(GiB, 512 * MiB).offset).toBe(10 * MiB);
    expect(ns(4 * GiB, 64 * MiB).offset).toBe(2 * MiB);
    expect(() => ns(4 * GiB, 2 * MiB)).toThrow(/unable to satisfy/);
  });
  it('keeps only the info block, aligned, with the page map in RAM (-M mem; seen in ns-align-map)', () => {
    expect(ns(4 * GiB, 128 * MiB, 'mem').offset).toBe(2 * MiB);
    expect(ns(4 * GiB, GiB, 'mem').offset).toBe(2 * MiB);
  });
  it('rounds the reservation up to the align, never below 2 MiB (-a 4K keeps 4 MiB of 128 MiB, seen)', () => {
    expect(ns(4 * GiB, 128 * MiB, 'dev', 4096).offset).toBe(4 * MiB);
    expect(ns(4 * GiB, 2 * GiB, 'dev', GiB).offset).toBe(GiB);
    expect(() => ns(4 * GiB, GiB, 'dev', GiB)).toThrow(/namespace0.0 unable to satisfy requested alignment/);
    expect(() => ns(4 * GiB, GiB, 'mem', GiB)).toThrow(/unable to satisfy/);
  });
});

describe('memory blocks', () => {
  it('are 128 MiB below 64 GiB of boot RAM and the largest dividing power of two up to 2 GiB above', () => {
    expect(memoryBlockSize(2 * GiB)).toBe(128 * MiB);
    expect(memoryBlockSize(64 * GiB)).toBe(2 * GiB);
    expect(memoryBlockSize(65 * GiB)).toBe(GiB);
    expect(memoryBlockSize(64 * GiB + 128 * MiB)).toBe(128 * MiB);
  });

  it("refuse unaligned hotplug and removal of online memory with the kernel's messages", () => {
    const b = new MemoryBlocks(128 * MiB);
    expect(() => b.add(4 * GiB + 2 * MiB, 128 * MiB, 0, 't')).toThrow(
      'Block size [0x8000000] unaligned hotplug range: start 0x100200000, size 0x8000000',
    );
    const ids = b.add(4 * GiB, 256 * MiB, 0, 't');
    b.setState(ids[0]!, 'online_movable');
    expect(() => b.remove(ids)).toThrow('removing memory fails, because memory [memory32] is onlined');
  });

  it('auto_online_blocks=online_movable onlines new blocks at once, and daxctl then refuses', () => {
    const m = createModel(NVDIMM_1G());
    const act = (line: string) => apply(m, line);
    act('echo online_movable > /sys/devices/system/memory/auto_online_blocks');
    act('ndctl create-namespace -f -e namespace0.0 -m devdax');
    const r = act('daxctl reconfigure-device --mode=system-ram dax0.0');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/kernel policy will auto-online memory, aborting/);
    act('daxctl reconfigure-device --mode=system-ram --no-movable dax0.0');
    const kmemBlocks = m.snapshot().memoryBlocks.filter((b) => b.id >= 33);
    expect(kmemBlocks.every((b) => b.state === 'online' && b.zones === 'Movable')).toBe(true);
  });
});

describe('model-only and what-if rules', () => {
  const model = (p: object, rules?: KernelRules) => createModel(ProfileSchema.parse(p), rules ? { kernel: rules } : {});
  const run = apply;

  it('puts device-private memory at the top of the 40-bit space, below the HyperTransport reserve', () => {
    const m = model({ name: 'x', memory: { size: '2G', slots: 4, maxmem: '8G' } });
    expect(run(m, 'device-private test_hmm 256M', true).exitCode).toBe(0);
    expect(m.snapshot().iomem).toContain('\nfcf0000000-fcffffffff : test_hmm\nfd00000000-ffffffffff : Reserved\n');
    const r = run(m, 'add-memory 0xfcf0000000 128M', true);
    expect(r.exitCode).not.toBe(0);
    const line =
      'resource: Unaddressable device test_hmm [mem 0xfcf0000000-0xfcffffffff]' +
      ' conflicts with [mem 0xfcf0000000-0xfcf7ffffff]';
    expect(r.output).toContain(line);
  });

  it('refuses hot-added memory past the last physical address (40 bits) with EEXIST', () => {
    const m = model({ name: 'x', memory: { size: '2G', slots: 4, maxmem: '8G' } });
    const r = run(m, 'add-memory 0x10000000000 128M', true);
    expect([r.exitCode, r.output]).toEqual([1, expect.stringMatching(/File exists/)]);
    expect(m.snapshot().iomem).not.toContain('10000000000');
    expect(run(m, 'add-memory 0xfff0000000 128M', true).output).not.toMatch(/File exists/);
  });

  it('warns when kmem would online bad blocks, until clear-errors', () => {
    const m = model({ name: 'x', memory: { size: '2G', slots: 4, maxmem: '8G' }, nvdimms: [{ id: 'nv', size: '1G' }] });
    run(m, 'ndctl create-namespace -f -e namespace0.0 -m devdax');
    run(m, 'badblocks namespace0.0 0x10000000 4096', true);
    expect(run(m, 'daxctl reconfigure-device --mode=system-ram dax0.0').output).toMatch(
      /model warning: dax0.0: kmem onlines 1 bad range\(s\) \(0x110000000\+4096\)/,
    );
    expect(run(m, 'ndctl clear-errors namespace0.0').output).toBe('cleared 1 error range\n');
  });

  it('before 5.3 refuses a devdax namespace that shares a section; 6.1 takes it', () => {
    for (const [rules, ok] of [
      ['6.1', true],
      ['5.1', false],
    ] as const) {
      const m = createModel(NVDIMM_1G('128K'), { kernel: rules });
      for (const l of ['ndctl disable-region region0', 'ndctl init-labels -f all', 'ndctl enable-region region0']) {
        run(m, l);
      }
      expect(run(m, 'ndctl create-namespace -r region0 -m devdax -s 64M').exitCode).toBe(0);
      const second = run(m, 'ndctl create-namespace -r region0 -m devdax -s 48M');
      expect(second.exitCode === 0, `${rules}: ${second.output}`).toBe(ok);
      if (!ok) expect(second.explanations[0]!.rule).toMatch(/shares one with namespace0.0/);
    }
  });

  it('refuses to offline a boot block that spans two zones', () => {
    const m = model({ name: 'x', memory: { size: '2G' } });
    expect(run(m, 'echo offline > /sys/devices/system/memory/memory0/state').exitCode).toBe(1);
    expect(run(m, 'echo offline > /sys/devices/system/memory/memory5/state').exitCode).toBe(0);
  });
});

describe('resource queries', () => {
  it('region_intersects looks at the top level only (6.1); walk_system_ram_range finds nested System RAM', () => {
    const m = createModel(NVDIMM_1G());
    const root = m.state.kernel.root;
    expect(regionIntersects(root, 0x100000, MiB, IORESOURCE_SYSTEM_RAM)).toBe('REGION_INTERSECTS');
    expect(regionIntersects(root, 4 * GiB, MiB, IORESOURCE_SYSTEM_RAM)).toBe('REGION_DISJOINT');
    expect(regionIntersects(root, 2 * GiB - MiB, 2 * MiB, IORESOURCE_SYSTEM_RAM)).toBe('REGION_MIXED');
    apply(m, 'ndctl create-namespace -f -e namespace0.0 -m devdax');
    apply(m, 'daxctl reconfigure-device --mode=system-ram dax0.0');
    // kmem's memory is two levels down, so the top-level check still says disjoint...
    expect(regionIntersects(root, 0x108000000, MiB, IORESOURCE_SYSTEM_RAM)).toBe('REGION_DISJOINT');
    // ...while walk_system_ram_range (since 5.1) finds it.
    expect(walkSystemRamRange(root, 4 * GiB, 5 * GiB - 1)).toEqual([
      { start: 0x108000000, end: 5 * GiB - 1, name: 'System RAM (kmem)' },
    ]);
  });
});

describe('namespace enable and disable', () => {
  it('disable-namespace lets go of the namespace and its dax device; enable claims them again', () => {
    const m = createModel(NVDIMM_1G());
    const act = (line: string) => apply(m, line);
    act('ndctl create-namespace -f -e namespace0.0 -m devdax');
    expect(act('ndctl disable-namespace namespace0.0').output).toBe('disabled 1 namespace\n');
    expect(m.snapshot().iomem).not.toMatch(/namespace0.0|dax0.0/);
    expect(m.snapshot().dax.devices).toEqual([]);
    act('ndctl enable-namespace namespace0.0');
    expect(m.snapshot().iomem).toContain('  100000000-1011fffff : namespace0.0\n  101200000-13fffffff : dax0.0\n');
  });
});
