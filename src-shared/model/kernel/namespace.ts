// libnvdimm namespaces (drivers/nvdimm/namespace_devs.c, label.c): this module
// alone creates, names, resizes and deletes them. A region without a label
// index has one namespace over all of it; a labelled region carves namespaces
// of aligned sizes, first fit, and keeps one zero-size seed for the next.
// Ids come from per-region allocators that hand out the lowest free id (ida):
// one for namespaces, one each for the pfn (fsdax) and dax (devdax) devices
// that claim them.
import { alignDown } from '../../units';
import { PFN_DEFAULT_ALIGN, type PfnMap } from './pfn';
import type { PfnSeed, Region } from './region';
import type { Resource } from './resource';

export type NsMode = 'raw' | 'fsdax' | 'devdax';

/**
 * A namespace no pfn, dax or btt device claims: nd_pmem maps its pages itself where the region lets it
 * (e820's ND_REGION_PAGEMAP: pmem_should_map_pages), which sysfs calls "memory" and ndctl fsdax; else raw.
 * ndctl's `-m raw` and destroy leave it so (seen: memmap-split, fuzz-555-3).
 */
export const unclaimedMode = (region: Region): NsMode => (region.kind === 'e820' ? 'fsdax' : 'raw');

/** sysfs names the namespace modes as the kernel does: ndctl's fsdax is "memory", devdax is "dax". */
const SYSFS_MODE = { raw: 'raw', fsdax: 'memory', devdax: 'dax' } as const;

/** A namespace's `mode` file (namespace_devs.c mode_show): its claiming device's kind, else its unclaimed mode. */
export const sysfsMode = (n: Namespace): string =>
  SYSFS_MODE[n.holder !== undefined ? n.mode : unclaimedMode(n.region)];

export interface Namespace {
  region: Region;
  id: number;
  start: number;
  size: number;
  mode: NsMode;
  uuid?: string;
  /** metadata (info block + page map) for fsdax/devdax */
  offset: number;
  /** the pfn/dax device's align and where it keeps the page map (ndctl -a, -M) */
  align: number;
  map: PfnMap;
  /** the pfn or dax device that claims it (pfnR.N, daxR.N on the nd bus), by its id */
  holder?: number;
  /** what the driver claimed in the iomem tree */
  resources: Resource[];
  enabled: boolean;
}

export const nsName = (ns: Namespace) => `namespace${ns.region.id}.${ns.id}`;

/** The nd bus name of the namespace's claiming device: pfnR.N for fsdax, daxR.N for devdax. */
export const nsHolderName = (ns: Namespace) =>
  ns.holder === undefined ? undefined : `${ns.mode === 'devdax' ? 'dax' : 'pfn'}${ns.region.id}.${ns.holder}`;

/** What ndctl writes into a namespace's attributes (size, uuid, mode through the pfn/dax seed). */
export type NsConfig = Pick<Namespace, 'start' | 'size' | 'mode' | 'uuid' | 'offset' | 'enabled'> &
  Partial<Pick<Namespace, 'align' | 'map'>>;

/** ida_simple_get: the lowest id not in use. */
function idaAlloc(used: number[]): number {
  let id = 0;
  while (used.includes(id)) id++;
  return id;
}

function nsAdd(region: Region, config: NsConfig): Namespace {
  const id = idaAlloc(region.namespaces.map((n) => n.id));
  const ns: Namespace = { region, id, resources: [], align: PFN_DEFAULT_ALIGN, map: 'dev', ...config };
  region.namespaces.push(ns);
  region.namespaces.sort((a, b) => a.id - b.id);
  return ns;
}

/** nd_region_create_ns_seed: the zero-size namespace the next create-namespace configures (labelled regions only). */
function nsCreateSeed(region: Region): void {
  if (!region.labelled) return;
  region.nsSeed = nsAdd(region, { start: 0, size: 0, mode: 'raw', offset: 0, enabled: true });
}

/** The ids the pfn (fsdax) or dax (devdax) devices claiming namespaces have in use. */
function holderIds(region: Region, mode: NsMode): number[] {
  return region.namespaces.filter((n) => n.mode === mode && n.holder !== undefined).map((n) => n.holder!);
}

const seedOf = (ns: Namespace) => (ns.mode === 'devdax' ? ns.region.daxSeed : ns.region.pfnSeed);

/** nd_pfn_create, nd_dax_create: a fresh seed with the lowest free id and the default align (nd_pfn_devinit). */
function newSeed(region: Region, mode: 'fsdax' | 'devdax'): PfnSeed {
  return { id: idaAlloc(holderIds(region, mode)), align: PFN_DEFAULT_ALIGN };
}

function nsCreateHolderSeeds(region: Region): void {
  region.pfnSeed = newSeed(region, 'fsdax');
  region.daxSeed = newSeed(region, 'devdax');
}

/** ndctl writes the align into the pfn/dax seed, then the namespace (align_store, namespace_store). */
export function nsClaimBySeed(ns: Namespace): void {
  if (ns.mode === 'raw') return;
  const seed = seedOf(ns);
  seed.align = ns.align;
  ns.holder = seed.id;
}

/** nd_pfn_probe, nd_dax_probe: an info block found on the media gets a new device (lowest free id). */
export function nsClaimByInfoBlock(ns: Namespace): void {
  if (ns.mode === 'raw' || ns.holder !== undefined) return;
  ns.holder = idaAlloc([...holderIds(ns.region, ns.mode), seedOf(ns).id]);
}

/**
 * nd_detach_and_reset: the claiming device lets go and, unless it is the seed,
 * is unregistered; a seed keeps the align written to it.
 */
export function nsUnclaim(ns: Namespace): void {
  ns.holder = undefined;
}

/**
 * nd_region_advance_seeds: a seed that a driver took is no longer a seed, so the
 * region makes a new one (a namespace seed only for a labelled region).
 */
export function nsAdvanceSeeds(ns: Namespace): void {
  const r = ns.region;
  if (r.nsSeed === ns) nsCreateSeed(r);
  if (ns.mode === 'fsdax' && ns.holder === r.pfnSeed.id) r.pfnSeed = newSeed(r, 'fsdax');
  if (ns.mode === 'devdax' && ns.holder === r.daxSeed.id) r.daxSeed = newSeed(r, 'devdax');
}

/**
 * The namespaces a region publishes when it comes up (nd_region_register_namespaces):
 * the one label-less namespace over all of it; or, from labels, one namespace per
 * label set in address order with ids from 0, the first being the seed, or a
 * zero-size seed when labels describe none; fresh pfn and dax seeds.
 */
export function nsScan(region: Region): void {
  if (!region.labelled) {
    if (!region.namespaces.length) {
      nsAdd(region, { start: region.start, size: region.size, mode: unclaimedMode(region), offset: 0, enabled: true });
    }
  } else {
    const labelled = region.namespaces.filter((n) => n.size > 0).sort((a, b) => a.start - b.start);
    region.namespaces = labelled;
    labelled.forEach((n, i) => (n.id = i));
    if (labelled.length) region.nsSeed = labelled[0];
    else nsCreateSeed(region);
  }
  // A namespace with an info block gets a new pfn/dax device. nd_region_probe makes the seeds
  // while the namespaces probe asynchronously: the guest has shown both orders on a region
  // restart (dax0.0 or dax0.1 for the same namespace); the model takes the seeds first.
  for (const n of region.namespaces) nsUnclaim(n);
  nsCreateHolderSeeds(region);
  for (const n of region.namespaces) if (n.size > 0 && n.uuid !== undefined) nsClaimByInfoBlock(n);
}

/** Writing a fresh label index (ndctl init-labels, or create-namespace on a DIMM without one): no namespaces yet. */
export function nsLabelsInit(region: Region): void {
  region.labelled = true;
  region.namespaces = [];
  region.nsSeed = undefined;
}

/** Writing a namespace's size, uuid and mode through sysfs (size_store, uuid_store, the claim of a pfn/dax seed). */
export function nsConfigure(ns: Namespace, config: Partial<NsConfig>): void {
  Object.assign(ns, config);
}

/**
 * A labelled namespace set to size 0: its labels are gone; it is unregistered
 * unless it is namespaceR.0, the seed, or still claimed (namespace_devs.c __size_store).
 */
export function nsDelete(ns: Namespace): void {
  ns.size = 0;
  ns.mode = 'raw';
  ns.uuid = undefined;
  const r = ns.region;
  if (ns.id !== 0 && ns !== r.nsSeed && ns.holder === undefined) r.namespaces = r.namespaces.filter((n) => n !== ns);
}

/**
 * The namespace ndctl configures for a new one (ndctl/namespace.c region_get_namespace):
 * namespaceR.0 while it is idle (zero-size), else the region's seed.
 */
export function nsForCreate(region: Region): Namespace | undefined {
  const first = region.namespaces.find((n) => n.id === 0 && n.size === 0);
  return first ?? region.nsSeed;
}

export function nsFind(regions: Region[], name: string): Namespace | undefined {
  for (const r of regions) for (const ns of r.namespaces) if (nsName(ns) === name) return ns;
  return undefined;
}

/** Free space of a labelled region, first fit from the start (drivers/nvdimm/dimm_devs.c). */
export function firstFit(region: Region, size: number, except?: Namespace): number | undefined {
  const used = region.namespaces.filter((n) => n.size > 0 && n !== except).sort((a, b) => a.start - b.start);
  let at = region.start;
  for (const n of used) {
    if (n.start - at >= size) return at;
    at = Math.max(at, n.start + n.size);
  }
  return region.start + region.size - at >= size ? at : undefined;
}

/** The largest aligned size that still fits somewhere (what create-namespace takes without -s). */
export function largestFree(region: Region): number {
  for (let size = alignDown(region.size, region.align); size >= region.align; size -= region.align) {
    if (firstFit(region, size) !== undefined) return size;
  }
  return 0;
}
