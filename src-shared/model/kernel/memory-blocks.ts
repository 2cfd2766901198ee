// Memory blocks and zones (drivers/base/memory.c, mm/memory_hotplug.c).
// One block device per block_size_bytes of present memory; hotplugged blocks
// arrive offline; onlining picks a zone by the rules of the default
// "contig-zones" policy. Blocks change state and are read only through
// MemoryBlocks' methods.
import { GiB, hex, MiB } from '../../units';
import { why, type Why } from '../why';
import { EBUSY, EINVAL, ENOENT, KernelError } from './errno';
import { offlinePages, pageBytes } from './memory-offline';

export type Zone = 'DMA' | 'DMA32' | 'Normal' | 'Movable';
export type OnlineType = 'online' | 'online_kernel' | 'online_movable';

export interface MemoryBlock {
  id: number;
  online: boolean;
  /** the zone while online; "none" for a boot block that spans two zones */
  zone: Zone | 'none';
  /** the last node that claimed the block at boot (drivers/base/memory.c memory_block_add_nid) */
  node: number;
  /** every node that links the block: two for a boot block across a NUMA boundary */
  nodes: number[];
  /** bytes of System RAM in the block: less than the block size where the firmware leaves holes */
  present: number;
  /** unmovable kernel pages lie in it (memblock allocations, the kernel's first allocations): no isolation */
  reserved: boolean;
  /** pages of its own memmap at its start (memmap_on_memory): present in the zone, never in MemTotal */
  nrVmemmapPages: number;
  why: Why;
}

const DMA_END = 16 * MiB;
const DMA32_END = 4 * GiB;

interface Span {
  min: number;
  max: number;
}

export class MemoryBlocks {
  private readonly blocks = new Map<number, MemoryBlock>();
  /**
   * zone spans per node, in block ids: a zone's span only grows while onlining
   * and shrinks at its edges (mm/memory_hotplug.c resize_zone_range, shrink_zone_span)
   */
  private spans = new Map<string, Span>();
  /** auto_online_blocks: what a hotplugged block does when it arrives (mm/memory_hotplug.c mhp_default_online_type) */
  autoOnline: 'offline' | OnlineType = 'offline';
  /** movable_node: "online" takes ZONE_MOVABLE where neither zone claims the block (default_zone_for_pfn) */
  movableNode = false;
  /** memory_hotplug.memmap_on_memory */
  memmapOnMemory = false;
  /** register_memory_notifier: each told after a block went online or offline (MEM_ONLINE, MEM_OFFLINE) */
  readonly notifiers: ((id: number, online: boolean) => void)[] = [];

  constructor(readonly blockSize: number) {}

  /**
   * Boot memory [start, end] of one node (drivers/base/memory.c memory_dev_init, memory_block_add_nid):
   * a block is online in the zone its pages lie in, "none" when they lie in two zones, and a block
   * that a second node claims loses its zone too (it can then never be offlined).
   */
  addBoot(start: number, end: number, node: number): void {
    for (let id = Math.floor(start / this.blockSize); id <= Math.floor(end / this.blockSize); id++) {
      const s = id * this.blockSize;
      const e = s + this.blockSize;
      const present = pageBytes(Math.max(s, start), Math.min(e - 1, end));
      const b = this.blocks.get(id);
      if (b) {
        b.present += present;
        if (b.node !== node) {
          b.zone = 'none';
          b.nodes.push(node);
          b.node = node;
          b.why = why('a boot block whose pages lie in two nodes has no single zone', EARLY_NID);
        }
        this.grow(node, b.zone === 'none' ? zoneAt(s) : b.zone, id);
        continue;
      }
      const zone: Zone | 'none' = s < DMA_END && e > DMA_END ? 'none' : zoneAt(s);
      const rule =
        'boot memory is online from the start, in the zone its address falls in' +
        ' (none when the block spans DMA and DMA32)';
      const block = {
        id,
        online: true,
        zone,
        node,
        nodes: [node],
        present,
        reserved: false,
        nrVmemmapPages: 0,
        why: why(rule, EARLY_NID),
      };
      this.blocks.set(id, block);
      for (const z of zone === 'none' ? (['DMA', 'DMA32'] as Zone[]) : [zone]) this.grow(node, z, id);
    }
  }

  /** Pages in [start, end] the kernel holds from boot on and never moves (PageReserved or unmovable). */
  reserveEarly(start: number, end: number): void {
    for (let id = Math.floor(start / this.blockSize); id <= Math.floor(end / this.blockSize); id++) {
      const b = this.blocks.get(id);
      if (b) b.reserved = true;
    }
  }

  /**
   * create_memory_block_devices: one offline block per block of the range, each recording the memmap pages
   * the range keeps inside it, onlined at once if auto_online_blocks says so.
   */
  add(start: number, size: number, node: number, source: string, nrVmemmapPages = 0): number[] {
    if (start % this.blockSize !== 0 || size % this.blockSize !== 0) {
      throw new KernelError(
        EINVAL,
        why(
          'hotplugged memory must start and end on a memory block boundary',
          'mm/memory_hotplug.c:check_hotplug_memory_range',
        ),
        `Block size [${hex(this.blockSize)}] unaligned hotplug range: start ${hex(start)}, size ${hex(size)}`,
      );
    }
    const ids: number[] = [];
    const added = `${source}: a new memory block device starts offline (auto_online_blocks=${this.autoOnline})`;
    for (let id = start / this.blockSize; id < (start + size) / this.blockSize; id++) {
      const rule = why(added, 'drivers/base/memory.c:add_memory_block');
      const present = this.blockSize;
      this.blocks.set(id, {
        id,
        online: false,
        zone: 'Normal',
        node,
        nodes: [node],
        present,
        nrVmemmapPages,
        reserved: false,
        why: rule,
      });
      ids.push(id);
    }
    if (this.autoOnline !== 'offline') for (const id of ids) this.setState(id, this.autoOnline);
    return ids;
  }

  remove(ids: number[]): void {
    const online = ids.filter((id) => this.isOnline(id));
    if (online.length) {
      throw new KernelError(
        EBUSY,
        why('memory can only be removed when every block is offline', 'mm/memory_hotplug.c:check_memblock_offlined_cb'),
        `removing memory fails, because memory [memory${online[0]}] is onlined`,
      );
    }
    for (const id of ids) this.blocks.delete(id);
  }

  /** What writing to memoryN/state does. */
  setState(id: number, value: OnlineType | 'offline'): void {
    const b = this.blocks.get(id);
    if (!b) throw new KernelError(ENOENT, why('no memory block device for that id', 'drivers/base/memory.c'));
    if (value === 'offline') {
      if (!b.online) {
        throw new KernelError(
          EINVAL,
          why('the block is already offline', 'drivers/base/memory.c:memory_subsys_offline'),
        );
      }
      this.shrink(b.node, offlinePages(b, this.blockSize), id);
      b.online = false;
      b.why = why(
        'offlined: its pages were migrated away and the zone shrinks at its edges',
        'mm/memory_hotplug.c:offline_pages',
      );
      for (const n of this.notifiers) n(id, false);
      return;
    }
    if (b.online) {
      throw new KernelError(
        EINVAL,
        why('writing a state the block already has is refused', 'drivers/base/memory.c:memory_block_change_state'),
      );
    }
    const zone = this.zoneFor(value, b.node, id);
    b.online = true;
    b.zone = zone;
    b.why = why(onlineRule(value, zone), 'mm/memory_hotplug.c:zone_for_pfn_range');
    this.grow(b.node, zone, id);
    for (const n of this.notifiers) n(id, true);
  }

  /** zone_for_pfn_range under the contig-zones policy. */
  zoneFor(type: OnlineType, node: number, id: number): Zone {
    if (type === 'online_movable') return 'Movable';
    const kernel = this.defaultKernelZone(node, id);
    if (type === 'online_kernel') return kernel;
    const inKernel = this.intersects(node, kernel, id);
    const inMovable = this.intersects(node, 'Movable', id);
    if (inKernel !== inMovable) return inKernel ? kernel : 'Movable';
    return this.movableNode ? 'Movable' : kernel;
  }

  /** valid_zones: an online block's zone; an offline block's default zone, then the other choices. */
  validZones(b: Readonly<MemoryBlock>): string {
    if (b.online) return b.zone;
    const first = this.zoneFor('online', b.node, b.id);
    const zones = [first];
    for (const t of ['online_kernel', 'online_movable'] as const) {
      const z = this.zoneFor(t, b.node, b.id);
      if (!zones.includes(z)) zones.push(z);
    }
    return zones.join(' ');
  }

  /** default_kernel_zone_for_pfn: the first kernel zone whose span meets the block, else Normal. */
  private defaultKernelZone(node: number, id: number): Zone {
    for (const z of ['DMA', 'DMA32', 'Normal'] as const) if (this.intersects(node, z, id)) return z;
    return 'Normal';
  }

  private intersects(node: number, zone: Zone, id: number): boolean {
    const s = this.spans.get(`${node}:${zone}`);
    return !!s && s.min <= id && id <= s.max;
  }

  private grow(node: number, zone: Zone, id: number): void {
    const key = `${node}:${zone}`;
    const s = this.spans.get(key);
    if (!s) this.spans.set(key, { min: id, max: id });
    else {
      s.min = Math.min(s.min, id);
      s.max = Math.max(s.max, id);
    }
  }

  /** Walks inward from the edge that went offline: linear over a range offlined in order. */
  private shrink(node: number, zone: Zone, id: number): void {
    const key = `${node}:${zone}`;
    const s = this.spans.get(key);
    if (!s || (id !== s.min && id !== s.max)) return;
    const inZone = (x: number) => {
      const b = this.blocks.get(x);
      return !!b && x !== id && b.online && b.node === node && b.zone === zone;
    };
    if (id === s.min) {
      let x = id + 1;
      while (x <= s.max && !inZone(x)) x++;
      s.min = x;
    }
    if (id === s.max) {
      let x = id - 1;
      while (x >= s.min && !inZone(x)) x--;
      s.max = x;
    }
    if (s.min > s.max) this.spans.delete(key);
  }

  exists(id: number): boolean {
    return this.blocks.has(id);
  }

  isOnline(id: number): boolean {
    return this.blocks.get(id)?.online ?? false;
  }

  block(id: number): Readonly<MemoryBlock> | undefined {
    return this.blocks.get(id);
  }

  /** Every block id, in the order the blocks came. */
  ids(): IterableIterator<number> {
    return this.blocks.keys();
  }

  get count(): number {
    return this.blocks.size;
  }

  /** Every block, by id. */
  sorted(): readonly Readonly<MemoryBlock>[] {
    return [...this.blocks.values()].sort((a, b) => a.id - b.id);
  }
}

const EARLY_NID = 'drivers/base/memory.c:memory_block_add_nid';

function zoneAt(addr: number): Zone {
  return addr < DMA_END ? 'DMA' : addr < DMA32_END ? 'DMA32' : 'Normal';
}

function onlineRule(type: OnlineType, zone: Zone): string {
  if (type === 'online_movable') return 'online_movable puts the block in ZONE_MOVABLE';
  if (type === 'online_kernel') {
    return `online_kernel takes the first kernel zone whose span meets the block, else Normal: ${zone}`;
  }
  return `online takes the one zone whose span already meets the block, else the kernel zone: ${zone}`;
}
