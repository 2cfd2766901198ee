// The guest's virtio-mem driver in sub-block mode (drivers/virtio/virtio_mem.c,
// 6.1): the device's region is requested as a non-busy `virtioN`; memory is
// plugged in sub-blocks of 2 MiB and added to Linux one 128 MiB memory block
// at a time as `System RAM (virtio_mem)` (merged with its neighbours), and a
// memory block whose sub-blocks are all unplugged is removed again. The
// device's side (QEMU) is platform/virtio-mem-device.ts.
import { GiB, hex, MiB } from '../../units';
import type { VirtioMemDevice, VirtioMemGuest } from '../platform/virtio-mem-device';
import { virtioMemStateChange } from '../platform/virtio-mem-device';
import { pciName } from '../platform/pci';
import { why } from '../why';
import { addMergedRam, releaseMemRegionAdjustable } from './merged-ram';
import { printk } from './printk';
import { IORESOURCE_BUSY, IORESOURCE_SYSRAM, requestRegion, walk } from './resource';
import type { Kernel } from './state';

const SRC = 'drivers/virtio/virtio_mem.c';
/** VIRTIO_MEM_DEFAULT_OFFLINE_THRESHOLD: added memory left offline beyond which the driver adds no more */
const OFFLINE_THRESHOLD = GiB;
/** PAGE_SIZE * pageblock_nr_pages on x86-64: the smallest sub-block alloc_contig_range handles reliably */
const PAGEBLOCK = 2 * MiB;

export interface VirtioMemDriver {
  dev: VirtioMemDevice;
  /** the virtio device's name, virtioN in probe order */
  name: string;
  sbSize: number;
  sbsPerMb: number;
  firstMbId: number;
  lastUsableMbId: number;
  /** the plug state of each sub-block of every memory block the driver added to Linux */
  mbs: Map<number, boolean[]>;
  pluggedSize: number;
  requestedSize: number;
  /** memory the driver added that is offline (vm->offline_size), kept by the memory notifier */
  offlineSize: number;
  wqActive: boolean;
}

/** SBM memory block states (enum virtio_mem_sbm_mb_state), read from the block and its sub-blocks. */
type MbState = 'offline' | 'offline_partial' | 'kernel' | 'kernel_partial' | 'movable' | 'movable_partial';

function mbState(k: Kernel, drv: VirtioMemDriver, id: number): MbState {
  const full = drv.mbs.get(id)!.every(Boolean);
  const b = k.blocks.block(id)!;
  const base = !b.online ? 'offline' : b.zone === 'Movable' ? 'movable' : 'kernel';
  return full ? base : `${base}_partial`;
}

const mbsIn = (k: Kernel, drv: VirtioMemDriver, state: MbState) =>
  [...drv.mbs.keys()].sort((a, b) => a - b).filter((id) => mbState(k, drv, id) === state);

/** virtio_mem_probe: the configuration, the parent resource, then a first run of the work queue. */
export function virtioMemProbe(k: Kernel, dev: VirtioMemDevice, index: number): VirtioMemDriver {
  virtioPciProbe(k, dev);
  const name = `virtio${index}`;
  const info = (m: string) => printk(k, `virtio_mem ${name}: ${m}`);
  const bs = k.blocks.blockSize;
  info(`start address: ${hex(dev.addr)}`);
  info(`region size: ${hex(dev.regionSize)}`);
  info(`device block size: ${hex(dev.blockSize)}`);
  info(`nid: ${dev.node}`);
  if (dev.addr % bs) info('The alignment of the physical start address can make some memory unusable.');
  if ((dev.addr + dev.regionSize) % bs)
    info('The alignment of the physical end address can make some memory unusable.');
  const sbSize = Math.max(dev.blockSize, PAGEBLOCK);
  info(`memory block size: ${hex(bs)}`);
  info(`subblock size: ${hex(sbSize)}`);
  // virtio_mem_create_resource: the whole region, not busy, so that add_memory can nest under it
  const region = requestRegion(
    k.root,
    dev.addr,
    dev.regionSize,
    name,
    IORESOURCE_SYSRAM,
    why(
      `virtio-mem reserves its whole device region (${hex(dev.regionSize)} bytes) as ${name}`,
      `${SRC}:virtio_mem_create_resource`,
    ),
  );
  region.flags &= ~IORESOURCE_BUSY;
  const firstMbId = Math.ceil(dev.addr / bs);
  const drv: VirtioMemDriver = {
    dev,
    name,
    sbSize,
    sbsPerMb: bs / sbSize,
    firstMbId,
    lastUsableMbId: firstMbId - 1,
    mbs: new Map(),
    pluggedSize: dev.size,
    requestedSize: 0,
    offlineSize: 0,
    wqActive: false,
  };
  k.blocks.notifiers.push((id, online) => memoryNotifier(k, drv, id, online));
  runWq(k, drv, true);
  return drv;
}

/**
 * virtio_pci binds the function first and claims its capability BAR (vp_modern_probe), where the kernel has it:
 * SeaBIOS's place, or the one the kernel assigned when that place lay outside the root bus's windows.
 */
function virtioPciProbe(k: Kernel, dev: VirtioMemDevice): void {
  const name = pciName(dev.pciSlot, 0);
  const bar = [...walk(k.root)].find(({ res }) => res.name === name)!.res;
  const rule = `virtio_pci claims the BAR of ${name}, where the virtio 1.0 capabilities are`;
  requestRegion(
    k.root,
    bar.start,
    bar.end - bar.start + 1,
    'virtio-pci-modern',
    0,
    why(rule, 'drivers/virtio/virtio_pci_modern_dev.c:vp_modern_probe'),
  );
}

/** The driver as QEMU's config interrupt reaches it (virtio_mem_config_changed). */
export function virtioMemGuest(k: Kernel): VirtioMemGuest {
  return {
    configChanged: (dev) => {
      const drv = k.virtioMem.find((d) => d.dev === dev);
      if (drv) runWq(k, drv, true);
    },
  };
}

/** Bytes of the block's sub-blocks that are not plugged: kept fake-offline, so not in MemTotal. */
export function virtioMemUnplugged(k: Kernel, id: number): number {
  for (const drv of k.virtioMem) {
    const sbs = drv.mbs.get(id);
    if (sbs) return sbs.filter((p) => !p).length * drv.sbSize;
  }
  return 0;
}

/** A virtio-mem memory block as runs of plugged and unplugged sub-blocks (the memory map); undefined for others. */
export function virtioMemRuns(k: Kernel, id: number) {
  const drv = k.virtioMem.find((d) => d.mbs.has(id));
  if (!drv) return undefined;
  const runs: { start: number; end: number; plugged: boolean; device: string }[] = [];
  const base = id * k.blocks.blockSize;
  drv.mbs.get(id)!.forEach((plugged, sb) => {
    const start = base + sb * drv.sbSize;
    const last = runs[runs.length - 1];
    if (last?.plugged === plugged) last.end = start + drv.sbSize - 1;
    else runs.push({ start, end: start + drv.sbSize - 1, plugged, device: drv.name });
  });
  return runs;
}

/** virtio_mem_run_wq: read the configuration when it changed, then plug or unplug the difference. */
function runWq(k: Kernel, drv: VirtioMemDriver, configChanged: boolean): void {
  drv.wqActive = true;
  if (configChanged) refreshConfig(k, drv);
  if (drv.requestedSize > drv.pluggedSize) plugRequest(k, drv, drv.requestedSize - drv.pluggedSize);
  else if (drv.requestedSize < drv.pluggedSize) unplugRequest(k, drv, drv.pluggedSize - drv.requestedSize);
  drv.wqActive = false;
}

/** virtio_mem_refresh_config: the last usable memory block, the requested size, both sizes logged. */
function refreshConfig(k: Kernel, drv: VirtioMemDriver): void {
  const bs = k.blocks.blockSize;
  const end = drv.dev.addr + drv.dev.usableRegionSize - 1;
  drv.lastUsableMbId = Math.floor(end / bs) - ((end + 1) % bs ? 1 : 0);
  drv.requestedSize = drv.dev.requestedSize;
  printk(k, `virtio_mem ${drv.name}: plugged size: ${hex(drv.pluggedSize)}`);
  printk(k, `virtio_mem ${drv.name}: requested size: ${hex(drv.requestedSize)}`);
}

/**
 * virtio_mem_memory_notifier_cb: MEM_OFFLINE and MEM_ONLINE of the driver's blocks keep its offline size;
 * with half the offline threshold free again after an online, the driver goes on adding memory.
 */
function memoryNotifier(k: Kernel, drv: VirtioMemDriver, id: number, online: boolean): void {
  if (!drv.mbs.has(id)) return;
  drv.offlineSize += online ? -k.blocks.blockSize : k.blocks.blockSize;
  if (!online || drv.wqActive) return;
  if (couldAddMemory(drv, OFFLINE_THRESHOLD / 2)) runWq(k, drv, false);
}

/** virtio_mem_could_add_memory: added memory still offline, plus `size`, within the threshold. */
const couldAddMemory = (drv: VirtioMemDriver, size: number) => drv.offlineSize + size <= OFFLINE_THRESHOLD;

/** Plugs `count` sub-blocks from `sb` through the device; false when QEMU refuses. */
function plugSb(drv: VirtioMemDriver, mb: number, sb: number, count: number, plug: boolean): boolean {
  const addr = mb * drv.sbSize * drv.sbsPerMb + sb * drv.sbSize;
  if (!virtioMemStateChange(drv.dev, addr, count * drv.sbSize, plug)) return false;
  const sbs = drv.mbs.get(mb)!;
  for (let i = sb; i < sb + count; i++) sbs[i] = plug;
  drv.pluggedSize += (plug ? count : -count) * drv.sbSize;
  return true;
}

/**
 * virtio_mem_sbm_plug_request: first the unplugged sub-blocks of partly plugged blocks (online kernel,
 * online movable, offline), then blocks not added yet, in address order, while the usable region and
 * the offline threshold allow (-ENOSPC ends the run).
 */
function plugRequest(k: Kernel, drv: VirtioMemDriver, diff: number): void {
  let nb = diff / drv.sbSize;
  for (const state of ['kernel_partial', 'movable_partial', 'offline_partial'] as const) {
    for (const id of mbsIn(k, drv, state)) {
      const sbs = drv.mbs.get(id)!;
      for (let sb = sbs.indexOf(false); nb > 0 && sb >= 0; sb = sbs.indexOf(false)) {
        let count = 1;
        while (count < nb && sb + count < drv.sbsPerMb && !sbs[sb + count]) count++;
        if (!plugSb(drv, id, sb, count, true)) return;
        nb -= count;
      }
      if (nb === 0) return;
    }
  }
  for (let id = drv.firstMbId; nb > 0; id++) {
    if (drv.mbs.has(id)) continue;
    if (!couldAddMemory(drv, k.blocks.blockSize) || id > drv.lastUsableMbId) return;
    const count = Math.min(nb, drv.sbsPerMb);
    drv.mbs.set(id, Array<boolean>(drv.sbsPerMb).fill(false));
    if (!plugSb(drv, id, 0, count, true)) {
      drv.mbs.delete(id);
      return;
    }
    addMb(k, drv, id);
    nb -= count;
  }
}

/** virtio_mem_sbm_add_mb: one memory block of driver-managed System RAM on the device's node. */
function addMb(k: Kernel, drv: VirtioMemDriver, id: number): void {
  const bs = k.blocks.blockSize;
  const rule = why(
    `${drv.name} adds memory block ${id} once it plugged sub-blocks in it; adjacent blocks merge into one ` +
      'resource (MHP_MERGE_RESOURCE)',
    `${SRC}:virtio_mem_sbm_plug_and_add_mb`,
  );
  addMergedRam(k.root, id * bs, bs, 'System RAM (virtio_mem)', rule);
  // virtio_mem_add_memory counts the block offline before adding it; an auto-online takes it off again
  drv.offlineSize += bs;
  k.blocks.add(id * bs, bs, drv.dev.node, `virtio-mem ${drv.dev.id}`);
}

/**
 * virtio_mem_sbm_unplug_request: partly plugged blocks first, movable before kernel, offline before
 * online, each kind from the highest block down; a block left with nothing plugged is offlined and
 * removed. Online memory is taken back page by page (alloc_contig_range), which the model takes to
 * succeed; the kernel's own allocations in a kernel zone can keep sub-blocks busy on a real guest.
 */
function unplugRequest(k: Kernel, drv: VirtioMemDriver, diff: number): void {
  let nb = diff / drv.sbSize;
  const order = ['offline_partial', 'offline', 'movable_partial', 'kernel_partial', 'movable', 'kernel'] as const;
  for (const state of order) {
    for (const id of mbsIn(k, drv, state).reverse()) {
      const sbs = drv.mbs.get(id)!;
      const online = k.blocks.isOnline(id);
      if (online && nb >= drv.sbsPerMb && sbs.every(Boolean)) {
        if (!plugSb(drv, id, 0, drv.sbsPerMb, false)) return;
        nb -= drv.sbsPerMb;
      }
      for (let sb = sbs.lastIndexOf(true); nb > 0 && sb >= 0; sb = sbs.lastIndexOf(true)) {
        // offline blocks go in runs of plugged sub-blocks, online ones one at a time
        let count = 1;
        while (!online && count < nb && sb - count >= 0 && sbs[sb - count]) count++;
        if (!plugSb(drv, id, sb - count + 1, count, false)) return;
        nb -= count;
      }
      if (!sbs.some(Boolean)) removeMb(k, drv, id);
      if (nb === 0) return;
    }
  }
}

/** virtio_mem_sbm_(offline_and_)remove_mb: the block goes offline if it is not, then away. */
function removeMb(k: Kernel, drv: VirtioMemDriver, id: number): void {
  const bs = k.blocks.blockSize;
  if (k.blocks.isOnline(id)) k.blocks.setState(id, 'offline');
  k.blocks.remove([id]);
  drv.offlineSize -= bs;
  releaseMemRegionAdjustable(k.root, id * bs, bs);
  drv.mbs.delete(id);
}
