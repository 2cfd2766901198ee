// Free ranges the kernel finds for drivers that bring their own memory
// (kernel/resource.c get_free_mem_region): device-private memory searched
// from the top of the address space, CXL regions from a window's start.
import { alignUp } from '../../units';
import type { Why } from '../why';
import {
  Desc,
  firstEndingAtOrAfter,
  insertResource,
  IORESOURCE_BUSY,
  IORESOURCE_MEM,
  MAX_PHYSMEM_BITS,
  requestResourceConflict,
  Resource,
} from './resource';

/**
 * request_free_mem_region (6.1), for device-private memory: the size rounded
 * up to 128 MiB; candidates from the top of the iomem root (capped at
 * MAX_PHYSMEM_BITS) downwards in
 * steps of that size; the first that overlaps no top-level resource is
 * requested busy under the root with the device-private descriptor.
 */
export function requestFreeMemRegion(root: Resource, size: number, name: string, rule?: Why): Resource | undefined {
  const section = 2 ** 27;
  const sz = alignUp(size, section);
  const top = Math.min(root.end + 1, 2 ** MAX_PHYSMEM_BITS);
  for (let addr = top - sz; addr >= 0; addr -= sz) {
    const end = addr + sz - 1;
    const i = firstEndingAtOrAfter(root.children, addr);
    const c = root.children[i];
    if (c && c.start <= end) continue;
    const res = new Resource(addr, end, name, IORESOURCE_MEM | IORESOURCE_BUSY, Desc.DevicePrivate, rule);
    requestResourceConflict(root, res);
    return res;
  }
  return undefined;
}

/**
 * alloc_free_mem_region (6.1, for CXL): the size rounded up to `align`; candidates from the base's start
 * (aligned) upwards in steps of that size; the first that overlaps none of the base's children is inserted
 * under the base, not busy.
 */
export function allocFreeMemRegion(
  base: Resource,
  size: number,
  align: number,
  name: string,
  rule?: Why,
): Resource | undefined {
  const sz = alignUp(size, align);
  for (let addr = alignUp(base.start, align); addr + sz - 1 <= base.end; addr += sz) {
    const end = addr + sz - 1;
    const c = base.children[firstEndingAtOrAfter(base.children, addr)];
    if (c && c.start <= end) continue;
    const res = new Resource(addr, end, name, IORESOURCE_MEM, Desc.None, rule);
    insertResource(base, res);
    return res;
  }
  return undefined;
}
