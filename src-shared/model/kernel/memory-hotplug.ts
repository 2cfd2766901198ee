// Adding and removing memory (mm/memory_hotplug.c): the resource is requested
// first (register_memory_resource), then the memory block devices; when the
// blocks cannot be added the resource is released again (__add_memory).
import { MiB } from '../../units';
import { why, type Why } from '../why';
import { EEXIST, EINVAL, KernelError } from './errno';
import { IORESOURCE_SYSTEM_RAM, MAX_PHYSMEM_BITS, releaseResource, requestRegion, type Resource } from './resource';
import type { Kernel } from './state';

const PAGE_SIZE = 4096;
/** sizeof(struct page) on x86-64 */
const STRUCT_PAGE = 64;
const PMD_SIZE = 2 * MiB;
/** pageblock_nr_pages << PAGE_SHIFT: a huge page's worth on x86-64 */
const PAGEBLOCK_BYTES = 2 * MiB;

/** add_memory's mhp_flags: MHP_MEMMAP_ON_MEMORY, the only one the model needs. */
export interface MhpFlags {
  memmapOnMemory?: boolean;
}

/**
 * mhp_supports_memmap_on_memory (6.1): the parameter is on and the range is exactly one memory block
 * whose memmap fills whole PMDs and leaves whole pageblocks. Callers ask it before asking for
 * MHP_MEMMAP_ON_MEMORY; in 6.1 only the ACPI memory handler does (not kmem, not virtio-mem).
 */
export function mhpSupportsMemmapOnMemory(k: Kernel, size: number): boolean {
  const vmemmapSize = (size / PAGE_SIZE) * STRUCT_PAGE;
  return (
    k.blocks.memmapOnMemory &&
    size === k.blocks.blockSize &&
    vmemmapSize % PMD_SIZE === 0 &&
    (size - vmemmapSize) % PAGEBLOCK_BYTES === 0
  );
}

/**
 * add_memory: System RAM requested with the region rules (since 5.1 it nests
 * under any non-busy parent), then one offline block per memory block.
 */
export function addMemory(
  k: Kernel,
  start: number,
  size: number,
  node: number,
  source: string,
  rule: Why,
  flags: MhpFlags = {},
): { ram: Resource; blocks: number[] } {
  checkPluggable(k, start, size);
  const ram = requestRegion(k.root, start, size, 'System RAM', IORESOURCE_SYSTEM_RAM, rule);
  return { ram, blocks: addMemoryResource(k, ram, node, source, flags) };
}

/**
 * register_memory_resource: a range past the iomem root's end (the CPU's last
 * physical address) cannot be requested, -EEXIST. On x86 the root is narrower
 * than mhp_range_allowed's limit (2^MAX_PHYSMEM_BITS), so the root decides.
 */
function checkPluggable(k: Kernel, start: number, size: number): void {
  const end = Math.min(k.root.end, 2 ** MAX_PHYSMEM_BITS - 1);
  if (start + size - 1 <= end) return;
  // the kernel says so only at pr_debug level ("Unable to reserve System RAM region")
  const rule = `hot-added memory must end at or below 0x${end.toString(16)}, the guest CPU's last physical address`;
  throw new KernelError(EEXIST, why(rule, 'mm/memory_hotplug.c:register_memory_resource'));
}

/**
 * add_memory_resource: the blocks of an already requested resource; on failure the resource goes. With
 * MHP_MEMMAP_ON_MEMORY the range's own first pages hold its memmap (the altmap), and the block records
 * how many (memory_block's nr_vmemmap_pages).
 */
export function addMemoryResource(k: Kernel, ram: Resource, node: number, source: string, flags: MhpFlags = {}) {
  try {
    let nrVmemmapPages = 0;
    if (flags.memmapOnMemory) {
      if (!mhpSupportsMemmapOnMemory(k, ram.size)) {
        const rule = 'MHP_MEMMAP_ON_MEMORY asked for a range that cannot hold its own memmap';
        throw new KernelError(EINVAL, why(rule, 'mm/memory_hotplug.c:add_memory_resource'));
      }
      nrVmemmapPages = ((ram.size / PAGE_SIZE) * STRUCT_PAGE) / PAGE_SIZE;
    }
    return k.blocks.add(ram.start, ram.size, node, source, nrVmemmapPages);
  } catch (e) {
    releaseResource(ram);
    throw e;
  }
}

/** remove_memory: every block must be offline (else -EBUSY); the blocks go, then the resource. */
export function removeMemory(k: Kernel, ram: Resource, blocks: number[]): void {
  k.blocks.remove(blocks);
  releaseResource(ram);
}
