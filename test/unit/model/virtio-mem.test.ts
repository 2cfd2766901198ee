// virtio-mem in the model (drivers/virtio/virtio_mem.c in sub-block mode,
// hw/virtio/virtio-mem.c), on the rules seen on the guest: where memory is
// added and what a shrink gives back first, the offline threshold, MemTotal
// of partly plugged blocks, and QEMU's refusals.
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, parseQmpCommand } from '../../../src-shared/actions';
import { createModel, sectionStrip } from '../../../src-shared/model';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const MiB = 2 ** 20;
type Model = ReturnType<typeof createModel>;

const model = (virtioMem: object[], extra: Record<string, unknown> = {}) =>
  createModel(ProfileSchema.parse({ name: 'x', memory: { size: '2G', slots: 4, maxmem: '8G' }, virtioMem, ...extra }));
function run(m: Model, line: string | object) {
  const p = typeof line === 'string' ? parseConsoleLine(line) : parseQmpCommand(line);
  if (p.kind !== 'action') throw new Error(`${JSON.stringify(line)}: ${p.reason}`);
  return m.apply(p.action);
}
const resize = (m: Model, value: number, path = 'vm0') =>
  run(m, { execute: 'qom-set', arguments: { path, property: 'requested-size', value } });
const online = (m: Model, id: number, how = 'online_movable') =>
  run(m, `echo ${how} > /sys/devices/system/memory/memory${id}/state`);
/** The iomem lines from 4 GiB up to the 64-bit PCI window, and the blocks there. */
const hotplugged = (m: Model) => {
  const s = m.snapshot();
  return {
    iomem: s.iomem.split('\n').filter((l) => /^ *1[0-9a-f]{8}-/.test(l)),
    blocks: s.memoryBlocks.filter((b) => b.id >= 32).map((b) => `${b.id} ${b.state} ${b.zones}`),
  };
};
const memAdded = (m: Model, boot: number) => m.snapshot().numa.nodes[0]!.memTotalKiB - boot;

describe('virtio-mem', () => {
  it('reserves the whole region as virtioN and adds the requested size as offline memory blocks', () => {
    const m = model([{ id: 'vm0', size: '1G', requestedSize: '256M' }]);
    expect(hotplugged(m)).toEqual({
      iomem: ['100000000-13fffffff : virtio0', '  100000000-10fffffff : System RAM (virtio_mem)'],
      blocks: ['32 offline Normal Movable', '33 offline Normal Movable'],
    });
    expect(m.snapshot().virtioMem).toEqual([
      {
        id: 'vm0',
        memaddr: 4 * 2 ** 30,
        maxSize: 2 ** 30,
        blockSize: 2 * MiB,
        size: 256 * MiB,
        requestedSize: 256 * MiB,
        node: 0,
      },
    ]);
    expect(m.state.kernel.log.filter((l) => l.startsWith('virtio_mem'))).toEqual([
      'virtio_mem virtio0: start address: 0x100000000',
      'virtio_mem virtio0: region size: 0x40000000',
      'virtio_mem virtio0: device block size: 0x200000',
      'virtio_mem virtio0: nid: 0',
      'virtio_mem virtio0: memory block size: 0x8000000',
      'virtio_mem virtio0: subblock size: 0x200000',
      'virtio_mem virtio0: plugged size: 0x0',
      'virtio_mem virtio0: requested size: 0x10000000',
    ]);
  });

  it('shrinks offline blocks first, then whole movable ones from the top, and keeps a partly plugged block', () => {
    const m = model([{ id: 'vm0', size: '1G', requestedSize: '512M' }]);
    const boot = m.snapshot().numa.nodes[0]!.memTotalKiB;
    online(m, 32);
    online(m, 33);
    expect(memAdded(m, boot)).toBe(262144);
    expect(resize(m, 100 * MiB).log).toEqual([
      'virtio_mem virtio0: plugged size: 0x20000000',
      'virtio_mem virtio0: requested size: 0x6400000',
    ]);
    expect(hotplugged(m)).toEqual({
      iomem: ['100000000-13fffffff : virtio0', '  100000000-107ffffff : System RAM (virtio_mem)'],
      blocks: ['32 online Movable'],
    });
    // MemTotal counts the plugged sub-blocks of an online block only
    expect(memAdded(m, boot)).toBe(102400);
    // the memory map: block 32 as its plugged and unplugged device blocks, all with their memmap
    const map = m.sections();
    expect(map.mappings.filter((x) => x.start >= 0x100000000 && x.start < 0x108000000)).toEqual([
      { start: 0x100000000, end: 0x1063fffff, owner: 'memory32', kind: 'ram' },
      { start: 0x106400000, end: 0x107ffffff, owner: 'virtio0 (unplugged)', kind: 'virtio-mem-unplugged' },
    ]);
    expect(sectionStrip(map, 32).filter((c) => c.active)).toHaveLength(64);
    // growing again fills the partly plugged block before adding new ones
    resize(m, 228 * MiB);
    expect(memAdded(m, boot)).toBe(131072);
    expect(hotplugged(m).blocks).toEqual(['32 online Movable', '33 offline Normal Movable']);
  });

  it('splits its System RAM where a block in the middle goes and merges it again when the block comes back', () => {
    const m = model([{ id: 'vm0', size: '1G', requestedSize: '512M' }]);
    online(m, 35);
    resize(m, 384 * MiB);
    expect(hotplugged(m).iomem).toEqual([
      '100000000-13fffffff : virtio0',
      '  100000000-10fffffff : System RAM (virtio_mem)',
      '  118000000-11fffffff : System RAM (virtio_mem)',
    ]);
    resize(m, 512 * MiB);
    expect(hotplugged(m).iomem).toEqual([
      '100000000-13fffffff : virtio0',
      '  100000000-11fffffff : System RAM (virtio_mem)',
    ]);
  });

  it('stops adding offline memory at 1 GiB and goes on once half of it is online', () => {
    const m = model([{ id: 'vm0', size: '2G', requestedSize: '1536M' }]);
    expect(m.snapshot().virtioMem![0]!.size).toBe(1024 * MiB);
    for (const id of [32, 33, 34]) online(m, id);
    expect(m.snapshot().virtioMem![0]!.size).toBe(1024 * MiB);
    online(m, 35);
    expect(m.snapshot().virtioMem![0]!.size).toBe(1536 * MiB);
    const auto = model([{ id: 'vm0', size: '2G', requestedSize: '1536M' }], {
      kernelArgs: ['memhp_default_state=online'],
    });
    expect(auto.snapshot().virtioMem![0]!.size).toBe(1536 * MiB);
    expect(hotplugged(auto).blocks.every((b) => b.endsWith('online Normal'))).toBe(true);
  });

  it('places devices after the NVDIMMs and DIMMs after the devices, on the device node', () => {
    const m = model(
      [
        { id: 'vm0', size: '1G', requestedSize: '128M' },
        { id: 'vm1', size: '512M', requestedSize: '128M', node: 1 },
      ],
      {
        numa: [
          { node: 0, cpus: [0, 1], memory: '2G' },
          { node: 1, cpus: [], memory: 0 },
        ],
        nvdimms: [{ id: 'nv0', size: '256M' }],
      },
    );
    expect(hotplugged(m).iomem.filter((l) => !l.startsWith(' '))).toEqual([
      '100000000-10fffffff : Persistent Memory',
      '110000000-14fffffff : virtio0',
      '150000000-16fffffff : virtio1',
    ]);
    expect(
      m
        .snapshot()
        .memoryBlocks.filter((b) => b.id >= 34)
        .map((b) => [b.id, b.node]),
    ).toEqual([
      [34, 0],
      [42, 1],
    ]);
    run(m, { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'hp1', size: 128 * MiB } });
    run(m, { execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'dimm1', memdev: 'hp1' } });
    expect(hotplugged(m).iomem).toContain('170000000-177ffffff : System RAM');
  });

  it('puts each device on the next free PCI slot, its BAR where SeaBIOS puts it, claimed by virtio_pci', () => {
    // seen with two devices on pc: 00:02.0 at febf8000, 00:03.0 at febfc000
    const m = model([
      { id: 'vm0', size: '1G', requestedSize: '256M' },
      { id: 'vm1', size: '2G', requestedSize: '1536M' },
    ]);
    const bars = m
      .snapshot()
      .iomem.split('\n')
      .filter((l) => /^ +febf/.test(l));
    expect(bars).toEqual([
      '  febf8000-febfbfff : 0000:00:02.0',
      '    febf8000-febfbfff : virtio-pci-modern',
      '  febfc000-febfffff : 0000:00:03.0',
      '    febfc000-febfffff : virtio-pci-modern',
    ]);
  });

  it("answers qom-set with QEMU's errors and tells the guest nothing then", () => {
    const m = model([{ id: 'vm0', size: '1G', requestedSize: '256M' }]);
    const refused = (value: number, path?: string) => {
      const r = resize(m, value, path);
      expect(r.log).toEqual([]);
      return [r.exitCode, JSON.parse(r.output!).error];
    };
    expect(refused(3_000_000)).toEqual([
      1,
      { class: 'GenericError', desc: "'requested-size' has to be multiples of 'block-size' (0x200000)" },
    ]);
    expect(refused(2 ** 31, '/machine/peripheral/vm0')).toEqual([
      1,
      { class: 'GenericError', desc: "'requested-size' cannot exceed the memory backend size(0x40000000)" },
    ]);
    expect(refused(0, 'vm9')).toEqual([1, { class: 'DeviceNotFound', desc: "Device 'vm9' not found" }]);
    // the same size again: QEMU still notifies, the driver logs its sizes and does nothing
    expect(resize(m, 256 * MiB).log).toHaveLength(2);
  });
});
