// Device-private memory (mm/memremap.c memremap_pages with
// MEMORY_DEVICE_PRIVATE, as test_hmm or a GPU driver registers it): a free
// physical range from kernel/resource.c request_free_mem_region, ZONE_DEVICE
// pages that are not System RAM.
import { why } from '../why';
import { ERANGE, KernelError } from './errno';
import { requestFreeMemRegion } from './free-mem-region';
import { MAX_PHYSMEM_BITS, type Resource } from './resource';
import type { Kernel } from './state';

const SOURCE = 'kernel/resource.c:request_free_mem_region';

export function memremapDevicePrivate(k: Kernel, name: string, size: number): Resource {
  const rule =
    `device-private memory takes the highest free range below 2^${Math.min(k.machine.physBits, MAX_PHYSMEM_BITS)}` +
    " (the CPU's physical address bits) that overlaps nothing at the top level," +
    ' in steps of its size rounded up to 128 MiB';
  const res = requestFreeMemRegion(k.root, size, name, why(rule, SOURCE));
  if (!res) {
    throw new KernelError(
      ERANGE,
      why('no gap of that size is left in the physical address space', SOURCE),
      `${name}: no free range for ${size} bytes of device-private memory`,
    );
  }
  return res;
}
