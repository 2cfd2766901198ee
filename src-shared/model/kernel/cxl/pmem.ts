// cxl_pmem's bridge from a CXL region to libnvdimm (drivers/cxl/pmem.c
// cxl_pmem_region_probe): a "Persistent Memory" resource inserted over the
// region's range (so it nests between the window and regionN), and an nd
// region named by the CXL region's id. CXL nvdimms always carry labels
// (NDD_LABELING in cxl_nvdimm_probe): a fresh region publishes a zero-size seed
// namespace, and ndctl's autolabel writes the index at the first
// create-namespace. numa_node is memory_add_physaddr_to_nid of the start, the
// target node the window's proximity domain (phys_to_target_node), or
// numa_node without one.
import { why } from '../../why';
import { regionDisable as ndRegionDisable, regionProbe } from '../nd-pmem';
import { memoryAddPhysaddrToNid } from '../numa-meminfo';
import { registerRegion } from '../region';
import { Desc, insertResource, IORESOURCE_MEM, removeResource, Resource } from '../resource';
import type { Kernel } from '../state';
import { targetMemdevs, type CxlRegion } from './bus';

const SZ_16M = 16 * 2 ** 20;

export function cxlPmemRegionProbe(k: Kernel, r: CxlRegion): void {
  const res = r.resource!;
  const pmem = new Resource(
    res.start,
    res.end,
    'Persistent Memory',
    IORESOURCE_MEM,
    Desc.PersistentMemory,
    why(
      `cxl_pmem inserts "Persistent Memory" over region${r.id}'s range: it nests between the window and the region`,
      'drivers/cxl/pmem.c:cxl_pmem_region_probe; kernel/resource.c:insert_resource',
    ),
  );
  insertResource(k.root, pmem);
  const node = memoryAddPhysaddrToNid(k.machine.srat, res.start);
  const region = registerRegion(
    k.root,
    {
      id: r.id,
      kind: 'cxl',
      start: res.start,
      size: r.size,
      align: SZ_16M,
      node,
      targetNode: r.root.node === -1 ? node : r.root.node,
      labelArea: true,
      labelled: true,
    },
    pmem,
  );
  k.regions.push(region);
  k.regions.sort((a, b) => a.id - b.id);
  regionProbe(k, region);
  r.nd = region;
  r.pmem = pmem;
}

/** The nd region goes with its namespaces and dax devices, then the "Persistent Memory" resource. */
export function cxlPmemRegionRemove(k: Kernel, r: CxlRegion): void {
  if (r.nd) {
    if (k.cxl && r.nd.namespaces.some((n) => n.uuid !== undefined))
      for (const m of targetMemdevs(k.cxl, r)) m.labelsWritten = true;
    ndRegionDisable(k, r.nd);
    k.regions = k.regions.filter((x) => x !== r.nd);
  }
  if (r.pmem) removeResource(r.pmem);
  r.nd = undefined;
  r.pmem = undefined;
}
