// libnvdimm namespaces (drivers/nvdimm/namespace_devs.c, label.c): this module
// alone creates, names, resizes and deletes them. A region without a label
// index has one namespace over all of it; a labelled region carves namespaces
// of aligned sizes, first fit, and keeps one zero-size seed for the next.
import type { Region } from './region';
import type { Resource } from './resource';

export type NsMode = 'raw' | 'fsdax' | 'devdax';

export interface Namespace {
  region: Region;
  id: number;
  start: number;
  size: number;
  mode: NsMode;
  uuid?: string;
  /** metadata (info block + page map) for fsdax/devdax */
  offset: number;
  /** what the driver claimed in the iomem tree */
  resources: Resource[];
  enabled: boolean;
}

export const nsName = (ns: Namespace) => `namespace${ns.region.id}.${ns.id}`;

/** What ndctl writes into a namespace's attributes (size, uuid, mode through the pfn/dax seed). */
export type NsConfig = Pick<Namespace, 'start' | 'size' | 'mode' | 'uuid' | 'offset' | 'enabled'>;

/** The region's namespace id allocator (nd_region's ns_ida): the next id after the highest in use. */
function nsIdAlloc(region: Region): number {
  return region.namespaces.reduce((m, n) => Math.max(m, n.id + 1), 0);
}

function nsAdd(region: Region, config: NsConfig): Namespace {
  const ns: Namespace = { region, id: nsIdAlloc(region), resources: [], ...config };
  region.namespaces.push(ns);
  return ns;
}

/** nd_region_create_ns_seed: the zero-size namespace the next create-namespace configures. */
export function nsCreateSeed(region: Region): Namespace {
  return nsAdd(region, { start: 0, size: 0, mode: 'raw', offset: 0, enabled: true });
}

export const nsSeed = (region: Region): Namespace | undefined => region.namespaces.find((n) => n.size === 0);

/**
 * The namespaces a region publishes when it comes up (nd_region_register_namespaces):
 * the one label-less namespace over all of it, or a seed when labels describe none.
 */
export function nsScan(region: Region): void {
  if (!region.labelled) {
    if (!region.namespaces.length) {
      const mode = region.kind === 'e820' ? 'fsdax' : 'raw';
      nsAdd(region, { start: region.start, size: region.size, mode, offset: 0, enabled: true });
    }
  } else if (!nsSeed(region)) nsCreateSeed(region);
}

/** Writing a fresh label index (ndctl init-labels, or create-namespace on a DIMM without one): no namespaces yet. */
export function nsLabelsInit(region: Region): void {
  region.labelled = true;
  region.namespaces = [];
}

/** Labels for a first namespace at the region's start, written with a seed beside it. */
export function nsLabelsInitWith(region: Region, config: NsConfig): Namespace {
  nsLabelsInit(region);
  const ns = nsAdd(region, config);
  nsCreateSeed(region);
  return ns;
}

/** Writing a namespace's size, uuid and mode through sysfs (size_store, uuid_store, the claim of a pfn/dax seed). */
export function nsConfigure(ns: Namespace, config: Partial<NsConfig>): void {
  Object.assign(ns, config);
}

/** A labelled namespace set to size 0: its labels are gone (namespace_update_uuid, size_store). */
export function nsDelete(ns: Namespace): void {
  ns.size = 0;
  ns.mode = 'raw';
  ns.uuid = undefined;
}

/** Zero-size namespaces other than each region's last one are unregistered (nd_region_notify_driver_action). */
export function nsPruneSeeds(regions: Region[]): void {
  for (const r of regions) {
    const seeds = r.namespaces.filter((n) => n.size === 0);
    r.namespaces = r.namespaces.filter((n) => n.size > 0 || n === seeds[seeds.length - 1]);
  }
}

export function nsFind(regions: Region[], name: string): Namespace | undefined {
  for (const r of regions) for (const ns of r.namespaces) if (nsName(ns) === name) return ns;
  return undefined;
}

/** Free space of a labelled region, first fit from the start (drivers/nvdimm/dimm_devs.c). */
export function firstFit(region: Region, size: number): number | undefined {
  const used = region.namespaces.filter((n) => n.size > 0).sort((a, b) => a.start - b.start);
  let at = region.start;
  for (const n of used) {
    if (n.start - at >= size) return at;
    at = Math.max(at, n.start + n.size);
  }
  return region.start + region.size - at >= size ? at : undefined;
}

/** The largest aligned size that still fits somewhere (what create-namespace takes without -s). */
export function largestFree(region: Region): number {
  for (let size = region.size; size >= region.align; size -= region.align) {
    if (firstFit(region, size) !== undefined) return size;
  }
  return 0;
}
