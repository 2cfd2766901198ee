// What stops a memory block from going offline (drivers/base/memory.c
// memory_block_offline, mm/memory_hotplug.c offline_pages, 6.1), checked in
// the kernel's order before any page moves.
import { why } from '../why';
import { EBUSY, EINVAL, KernelError } from './errno';
import type { MemoryBlock, Zone } from './memory-blocks';

const PAGE = 4096;

/** Whole pages in [start, end], as walk_system_ram_range counts them. */
export function pageBytes(start: number, end: number): number {
  const s = Math.ceil(start / PAGE) * PAGE;
  const e = Math.floor((end + 1) / PAGE) * PAGE;
  return Math.max(0, e - s);
}

/**
 * The refusals of memory_block_offline and offline_pages (6.1), in the kernel's order: a block with
 * no single zone (two zones or two nodes) -EINVAL; a block with holes -EINVAL ("memory holes");
 * pages that cannot be isolated (the kernel's own, PageReserved or unmovable) -EBUSY ("failure to isolate range").
 * Returns the block's zone when nothing stops it.
 */
export function offlinePages(b: Readonly<MemoryBlock>, blockSize: number): Zone {
  if (b.zone === 'none') {
    const rule = 'a block whose pages lie in two zones or two nodes cannot be offlined';
    throw new KernelError(EINVAL, why(rule, 'drivers/base/memory.c:memory_block_offline'));
  }
  if (b.present < blockSize) {
    const rule = 'a block with memory holes (firmware ranges that are not System RAM) cannot be offlined';
    throw new KernelError(EINVAL, why(rule, 'mm/memory_hotplug.c:offline_pages'));
  }
  if (b.reserved) {
    const rule = 'unmovable kernel pages lie in the block (memmap, early allocations): it cannot be isolated';
    throw new KernelError(EBUSY, why(rule, 'mm/page_isolation.c:start_isolate_page_range'));
  }
  return b.zone;
}
