// Adding and removing memory (mm/memory_hotplug.c): the resource is requested
// first (register_memory_resource), then the memory block devices; when the
// blocks cannot be added the resource is released again (__add_memory).
import { why, type Why } from '../why';
import { EEXIST, KernelError } from './errno';
import { IORESOURCE_SYSTEM_RAM, MAX_PHYSMEM_BITS, releaseResource, requestRegion, type Resource } from './resource';
import type { Kernel } from './state';

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
  memmapOnMemory = false,
): { ram: Resource; blocks: number[] } {
  checkPluggable(k, start, size);
  const ram = requestRegion(k.root, start, size, 'System RAM', IORESOURCE_SYSTEM_RAM, rule);
  return { ram, blocks: addMemoryResource(k, ram, node, source, memmapOnMemory) };
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

/** add_memory_resource: the blocks of an already requested resource; on failure the resource goes. */
export function addMemoryResource(k: Kernel, ram: Resource, node: number, source: string, memmapOnMemory = false) {
  try {
    return k.blocks.add(ram.start, ram.size, node, source, memmapOnMemory);
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
