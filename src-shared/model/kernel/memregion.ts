// Memory region ids (lib/memregion.c memregion_alloc): one ida for every
// region of the machine. libnvdimm numbers NFIT and e820 regions from it
// (drivers/nvdimm/region_devs.c nd_region_create), and each CXL root decoder
// holds one for its next region (drivers/cxl/core/region.c), which then names
// both the CXL region and its nd region.
import type { Kernel } from './state';

/** The lowest free id. */
export function memregionAlloc(k: Kernel): number {
  let id = 0;
  while (k.memregion.has(id)) id++;
  k.memregion.add(id);
  return id;
}

export function memregionFree(k: Kernel, id: number): void {
  k.memregion.delete(id);
}
