// libnvdimm regions (drivers/nvdimm/region_devs.c): an NFIT SPA range or an
// e820 type-12 range becomes a region with a non-busy resource at the top of
// the iomem tree (drivers/acpi/nfit/core.c acpi_nfit_insert_resource,
// drivers/nvdimm/e820.c); enabling it publishes its namespaces and lets the
// drivers claim them (nd-pmem.ts).
import { alignDown } from '../../units';
import { why } from '../why';
import { EINVAL, KernelError } from './errno';
import type { Namespace } from './namespace';
import { PFN_DEFAULT_ALIGN } from './pfn';
import { Desc, IORESOURCE_MEM, Resource, requestResourceConflict } from './resource';
import type { Kernel } from './state';

export interface Region {
  id: number;
  kind: 'nfit' | 'e820' | 'cxl';
  start: number;
  size: number;
  align: number;
  node: number;
  targetNode: number;
  /** the DIMM has a label area (it can hold labels once they are initialised) */
  labelArea: boolean;
  /** a valid label index exists: namespaces come from labels */
  labelled: boolean;
  enabled: boolean;
  resource: Resource;
  namespaces: Namespace[];
  /** the zero-size namespace the kernel offers for configuration (ns_seed; labelled regions only) */
  nsSeed?: Namespace;
  /** the unclaimed pfnR.N and daxR.N seeds (pfn_seed, dax_seed) */
  pfnSeed: PfnSeed;
  daxSeed: PfnSeed;
}

/** A pfn or dax seed device: its id, and the align last written to it (kept when a claim fails). */
export interface PfnSeed {
  id: number;
  align: number;
}

export type RegionDesc = Omit<Region, 'resource' | 'namespaces' | 'enabled' | 'nsSeed' | 'pfnSeed' | 'daxSeed'>;

export const regionName = (r: Region) => `region${r.id}`;

/**
 * The region's resource: NFIT's new top-level "Persistent Memory", or the e820 one already there, or the one
 * cxl_pmem inserted (`inserted`).
 */
export function registerRegion(root: Resource, r: RegionDesc, inserted?: Resource): Region {
  const legacy = r.kind === 'e820';
  const resource = inserted
    ? inserted
    : legacy
      ? root.children.find((c) => c.start === r.start && c.name === 'Persistent Memory (legacy)')!
      : new Resource(
          r.start,
          r.start + r.size - 1,
          'Persistent Memory',
          IORESOURCE_MEM,
          Desc.PersistentMemory,
          why(
            'an NFIT SPA range for persistent memory becomes a top-level, non-busy resource',
            'drivers/acpi/nfit/core.c:acpi_nfit_insert_resource',
          ),
        );
  if (!legacy && !inserted) {
    const conflict = requestResourceConflict(root, resource);
    if (conflict) {
      const range = `[0x${conflict.start.toString(16)}-0x${conflict.end.toString(16)}]`;
      throw new Error(`region at 0x${r.start.toString(16)} conflicts with ${conflict.name} ${range}`);
    }
  }
  const seed = () => ({ id: 0, align: PFN_DEFAULT_ALIGN });
  return { ...r, resource, namespaces: [], enabled: false, pfnSeed: seed(), daxSeed: seed() };
}

/**
 * A region's numa_node: its proximity domain's node when that node is online
 * (it has CPUs or boot memory), else the nearest online node; QEMU's default
 * distances tie, so the lowest (mm/mempolicy.c numa_map_to_online_node, called
 * by acpi_nfit_register_region and e820_register_one). target_node stays the
 * domain's own node.
 */
export function nearestOnlineNode(node: number, online: Set<number>): number {
  // NUMA_NO_NODE stays as it is (numa_map_to_online_node; seen in memmap-forms: numa_node -1)
  if (node === -1 || online.has(node)) return node;
  return [...online].sort((a, b) => a - b)[0] ?? node;
}

export function regionFind(k: Kernel, name: string): Region | undefined {
  return k.regions.find((x) => regionName(x) === name);
}

/** regionN/align: a power of two (align_store). */
export function regionAlignStore(k: Kernel, name: string, align: number): void {
  const r = regionFind(k, name);
  if (!r || !(align > 0) || (align & (align - 1)) !== 0) {
    throw new KernelError(EINVAL, why('region align takes a power of two', 'drivers/nvdimm/region_devs.c:align_store'));
  }
  r.align = align;
}

/**
 * regionN/available_size: the free capacity in whole region-align units (nd_region_available_dpa,
 * ALIGN_DOWN to the region's align); the whole region for a DIMM with a label area and no index,
 * 0 without a label area.
 */
export function availableSize(region: Region): number {
  if (!region.labelArea || region.kind === 'e820') return 0;
  const used = region.labelled ? region.namespaces.reduce((s, n) => s + n.size, 0) : 0;
  return alignDown(region.size - used, region.align);
}
