// libnvdimm regions and namespaces (drivers/nvdimm/region_devs.c,
// namespace_devs.c, pfn_devs.c, dax_devs.c). A region with no valid label
// index has one namespace over all of it; a labelled region carves
// namespaces of aligned sizes, first fit, and keeps a zero-size seed.
import { Desc, IORESOURCE_MEM, Resource, releaseRegion, requestRegion, requestResourceConflict } from './resource';
import { nsToPfnOffset } from './pfn';
import { why, type Why } from './why';

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
  resources: Resource[];
  holder?: string;
  enabled: boolean;
}

export interface Region {
  id: number;
  kind: 'nfit' | 'e820';
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
}

export const nsName = (ns: Namespace) => `namespace${ns.region.id}.${ns.id}`;
export const daxName = (ns: Namespace) => `dax${ns.region.id}.${ns.id}`;
export const regionName = (r: Region) => `region${r.id}`;

export class NdError extends Error {
  constructor(readonly output: string, readonly exitCode: number, readonly why: Why) {
    super(output);
  }
}

export function registerRegion(root: Resource, r: Omit<Region, 'resource' | 'namespaces' | 'enabled'>): Region {
  const legacy = r.kind === 'e820';
  const resource = legacy
    ? root.children.find((c) => c.start === r.start && c.name === 'Persistent Memory (legacy)')!
    : new Resource(r.start, r.start + r.size - 1, 'Persistent Memory', IORESOURCE_MEM, Desc.PersistentMemory, why('an NFIT SPA range for persistent memory becomes a top-level, non-busy resource', 'drivers/acpi/nfit/core.c:acpi_nfit_insert_resource'));
  if (!legacy) {
    const conflict = requestResourceConflict(root, resource);
    if (conflict) throw new Error(`region at 0x${r.start.toString(16)} conflicts with ${conflict.name} [0x${conflict.start.toString(16)}-0x${conflict.end.toString(16)}]`);
  }
  const region: Region = { ...r, resource, namespaces: [], enabled: false };
  return region;
}

/** Region probe: namespaces from labels, or the one label-less namespace over the whole region (drivers claim them next). */
export function enableRegion(region: Region): void {
  region.enabled = true;
  if (!region.labelled) {
    if (!region.namespaces.length) region.namespaces.push({ region, id: 0, start: region.start, size: region.size, mode: region.kind === 'e820' ? 'fsdax' : 'raw', offset: 0, resources: [], enabled: true });
  } else if (!region.namespaces.some((n) => n.size === 0)) {
    region.namespaces.push({ region, id: nextNsId(region), start: 0, size: 0, mode: 'raw', offset: 0, resources: [], enabled: true });
  }
}

export function disableRegion(region: Region): void {
  for (const ns of region.namespaces) release(ns);
  region.enabled = false;
}

function nextNsId(region: Region): number {
  return region.namespaces.reduce((m, n) => Math.max(m, n.id + 1), 0);
}

/**
 * The driver claims a namespace: raw and fsdax (pmem driver) request the whole
 * range; devdax requests the metadata as the namespace and (through device_dax)
 * the rest as the dax device. Requests nest under the non-busy region resource.
 */
export function claim(root: Resource, ns: Namespace): void {
  const name = nsName(ns);
  if (ns.mode === 'devdax') {
    const { offset } = nsToPfnOffset(ns.start, ns.size);
    ns.offset = offset;
    ns.resources = [requestRegion(root, ns.start, offset, name, 0, why(`devdax keeps the first ${offset / 2 ** 20} MiB of ${name} for the info block and the page map (64 bytes per 4 KiB page, rounded up to 2 MiB)`, 'drivers/nvdimm/pfn_devs.c:nd_pfn_init'))];
  } else {
    if (ns.mode === 'fsdax') ns.offset = nsToPfnOffset(ns.start, ns.size).offset;
    ns.resources = [requestRegion(root, ns.start, ns.size, name, 0, why(`the pmem driver claims all of ${name} (${ns.mode})`, 'drivers/nvdimm/pmem.c:pmem_attach_disk'))];
  }
}

export function release(ns: Namespace): void {
  for (const r of ns.resources) if (r.parent) releaseRegion(r.parent, r.start, r.size);
  ns.resources = [];
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

export function availableSize(region: Region): number {
  if (!region.labelArea || region.kind === 'e820') return 0;
  if (!region.labelled) return region.size;
  return region.size - region.namespaces.reduce((s, n) => s + n.size, 0);
}
