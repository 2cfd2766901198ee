// Single rules, with values the kernel is known to produce.
import { describe, expect, it } from 'vitest';
import { nsToPfnOffset } from '../../../src-shared/model/pfn';
import { createRoot, insertResource, releaseRegion, removeResource, requestRegion, Resource, ResourceBusyError, walk } from '../../../src-shared/model/resource';
import { memoryBlockSize, MemoryBlocks } from '../../../src-shared/model/memory-blocks';
import { createModel } from '../../../src-shared/model';
import { ProfileSchema } from '../../../src-shared/profile/schema';
import { parseConsoleLine } from '../../../src-shared/actions';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const names = (root: Resource) => [...walk(root)].map(({ res, depth }) => `${depth}:${res.name}`);

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
  it('keeps 18 MiB of 1 GiB, 34 MiB of 2 GiB, 10 MiB of 512 MiB and 2 MiB of 64 MiB (seen on real guests)', () => {
    expect(nsToPfnOffset(4 * GiB, GiB).offset).toBe(18 * MiB);
    expect(nsToPfnOffset(4 * GiB, 2 * GiB).offset).toBe(34 * MiB);
    expect(nsToPfnOffset(GiB, 512 * MiB).offset).toBe(10 * MiB);
    expect(nsToPfnOffset(4 * GiB, 64 * MiB).offset).toBe(2 * MiB);
    expect(nsToPfnOffset(4 * GiB, GiB, 'mem').offset).toBe(2 * MiB);
    expect(() => nsToPfnOffset(4 * GiB, 2 * MiB)).toThrow(/unable to satisfy/);
  });
});

describe('memory blocks', () => {
  it('are 128 MiB below 64 GiB of boot RAM and the largest dividing power of two up to 2 GiB above', () => {
    expect(memoryBlockSize(2 * GiB)).toBe(128 * MiB);
    expect(memoryBlockSize(64 * GiB)).toBe(2 * GiB);
    expect(memoryBlockSize(65 * GiB)).toBe(GiB);
    expect(memoryBlockSize(64 * GiB + 128 * MiB)).toBe(128 * MiB);
  });

  it('refuse unaligned hotplug and removal of online memory with the kernel\'s messages', () => {
    const b = new MemoryBlocks(128 * MiB);
    expect(() => b.add(4 * GiB + 2 * MiB, 128 * MiB, 0, 't')).toThrow('Block size [0x8000000] unaligned hotplug range: start 0x100200000, size 0x8000000');
    const ids = b.add(4 * GiB, 256 * MiB, 0, 't');
    b.setState(ids[0]!, 'online_movable');
    expect(() => b.remove(ids)).toThrow('removing memory fails, because memory [memory32] is onlined');
  });

  it('auto_online_blocks=online_movable onlines new blocks at once, and daxctl then refuses', () => {
    const m = createModel(ProfileSchema.parse({ name: 'x', memory: { size: '2G', slots: 4, maxmem: '8G' }, nvdimms: [{ id: 'nv', size: '1G' }] }));
    const act = (line: string) => {
      const p = parseConsoleLine(line);
      if (p.kind !== 'action') throw new Error(p.reason);
      return m.apply(p.action);
    };
    act('echo online_movable > /sys/devices/system/memory/auto_online_blocks');
    act('ndctl create-namespace -f -e namespace0.0 -m devdax');
    const r = act('daxctl reconfigure-device --mode=system-ram dax0.0');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/kernel policy will auto-online memory, aborting/);
    act('daxctl reconfigure-device --mode=system-ram --no-movable dax0.0');
    expect(m.snapshot().memoryBlocks.filter((b) => b.id >= 33).every((b) => b.state === 'online' && b.zones === 'Movable')).toBe(true);
  });
});
