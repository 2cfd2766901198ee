// A CXL region's life through sysfs (drivers/cxl/core/region.c), the steps
// `cxl create-region` and `destroy-region` take one by one: create_pmem_region
// on the root decoder, interleave granularity and ways, size (host physical
// space in the window: alloc_hpa), a target per position (an endpoint decoder
// with its device-physical capacity: drivers/cxl/core/hdm.c), commit, and the
// driver's bind and unbind (cxl/pmem.ts), back down to delete_region.
import { why } from '../../why';
import { EBUSY, EINVAL, ENOSPC, ENXIO, ERANGE, KernelError } from '../errno';
import { memregionAlloc, memregionFree } from '../memregion';
import { allocFreeMemRegion } from '../free-mem-region';
import { removeResource } from '../resource';
import type { Kernel } from '../state';
import {
  targetMemdevs,
  type CxlBus,
  type CxlDecoder,
  type CxlMemdev,
  type CxlRegion,
  type CxlRootDecoder,
} from './bus';
import { cxlPmemRegionProbe, cxlPmemRegionRemove } from './pmem';

const SZ_256M = 256 * 2 ** 20;
const REGION_C = 'drivers/cxl/core/region.c';
/** ways_to_cxl: the interleave ways an HDM decoder can encode */
const ENCODABLE_WAYS = new Set([1, 2, 4, 8, 16, 3, 6, 12]);

const fail = (errno: number, rule: string, fn: string): never => {
  throw new KernelError(errno, why(rule, `${REGION_C}:${fn}`));
};

export const cxlRegionName = (r: CxlRegion) => `region${r.id}`;

/** The machine's CXL bus; a machine without one has an empty bus (cxl finds no decoders and no memdevs). */
export function cxlBus(k: Kernel): CxlBus {
  return (
    k.cxl ?? {
      roots: [],
      memdevs: [],
      regions: [],
      hostBridge: { name: '', port: '', kind: 'switch', start: 0, size: 0, ways: 1, granularity: 256, targets: [] },
    }
  );
}

/** create_pmem_region_store: only the name the root decoder offers; the decoder takes the next memregion id. */
export function createPmemRegion(k: Kernel, root: CxlRootDecoder): CxlRegion {
  const id = root.nextRegionId;
  root.nextRegionId = memregionAlloc(k);
  const region: CxlRegion = {
    id,
    root,
    size: 0,
    ways: 0,
    granularity: 0,
    targets: [],
    committed: false,
    enabled: false,
  };
  cxlBus(k).regions.push(region);
  return region;
}

/** interleave_granularity_store: 256 B to 16 KiB in powers of two; under an interleaved root, the root's. */
export function regionSetGranularity(r: CxlRegion, g: number): void {
  if (!(g >= 256 && g <= 16384 && (g & (g - 1)) === 0))
    fail(EINVAL, `granularity ${g} is not a power of two from 256 to 16384`, 'interleave_granularity_store');
  if (r.root.ways > 1 && g !== r.root.granularity)
    fail(EINVAL, 'under an interleaved root decoder the region takes its granularity', 'interleave_granularity_store');
  r.granularity = g;
}

/** interleave_ways_store: ways an HDM decoder encodes, a power-of-two multiple of the root's. */
export function regionSetWays(r: CxlRegion, ways: number): void {
  const per = ways / r.root.ways;
  if (!ENCODABLE_WAYS.has(ways) || ways % r.root.ways !== 0 || (per & (per - 1)) !== 0)
    fail(EINVAL, `${ways} interleave ways cannot be encoded under ${r.root.name}`, 'interleave_ways_store');
  r.ways = ways;
  r.targets = Array.from({ length: ways }, () => undefined);
}

/**
 * size_store -> alloc_hpa: a multiple of 256 MiB per way, placed in the window by alloc_free_mem_region:
 * the first free range from the window's start, in steps of the size (kernel/resource.c get_free_mem_region).
 */
export function regionSetSize(r: CxlRegion, size: number): void {
  if (r.resource) fail(EBUSY, 'the region already has a size: free it first', 'alloc_hpa');
  if (!r.ways || !r.granularity) fail(ENXIO, 'ways and granularity come before the size', 'alloc_hpa');
  if (size % (SZ_256M * r.ways) !== 0)
    fail(EINVAL, `a region's size is a multiple of 256 MiB per interleave way (${r.ways})`, 'alloc_hpa');
  const res = allocFreeMemRegion(
    r.root.res,
    size,
    SZ_256M,
    cxlRegionName(r),
    why(
      `${cxlRegionName(r)} takes the first free ${size / 2 ** 20} MiB of ${r.root.res.name}, ` +
        'trying from its start in steps of the size',
      'kernel/resource.c:alloc_free_mem_region; drivers/cxl/core/region.c:alloc_hpa',
    ),
  );
  if (!res) fail(ERANGE, `no free ${size / 2 ** 20} MiB in ${r.root.res.name}`, 'alloc_hpa');
  r.resource = res;
  r.size = size;
}

/** mode_store -> cxl_dpa_set_mode: the partition an endpoint decoder allocates from, while it has no capacity. */
export function decoderSetMode(m: CxlMemdev, mode: 'pmem'): void {
  const d = m.decoder;
  if (d.dpaSize) throw new KernelError(EBUSY, why(`${d.name} has capacity: free it first`, HDM_MODE));
  d.mode = mode;
}
const HDM_MODE = 'drivers/cxl/core/hdm.c:cxl_dpa_set_mode';

/**
 * dpa_size_store -> cxl_dpa_alloc: capacity from the device's partition of the decoder's mode, in 256 MiB
 * units. A failure leaves the mode set (seen: `mode` pmem after `set_dpa_size failed: No space left on device`).
 */
export function decoderSetDpaSize(m: CxlMemdev, size: number): void {
  const d = m.decoder;
  if (size === 0) {
    d.dpaStart = -1;
    d.dpaSize = 0;
    return;
  }
  if (d.mode !== 'pmem') throw new KernelError(EINVAL, why(`${d.name} has no mode yet`, HDM_DPA));
  if (size % SZ_256M !== 0) throw new KernelError(EINVAL, why('DPA sizes are 256 MiB multiples', HDM_DPA));
  if (d.dpaSize) throw new KernelError(EBUSY, why(`${d.name} already has capacity`, HDM_DPA));
  if (size > m.pmemSize)
    throw new KernelError(ENOSPC, why(`${m.name} has ${m.pmemSize / 2 ** 20} MiB of pmem capacity`, HDM_DPA));
  d.dpaStart = 0;
  d.dpaSize = size;
}
const HDM_DPA = 'drivers/cxl/core/hdm.c:cxl_dpa_alloc';

/**
 * targetN_store -> cxl_region_attach: the endpoint decoder takes its position; once every position is set,
 * the host bridge's decoder is set up for the region (cxl_port_setup_targets: its targets are the root ports
 * in position order) and the endpoints decode the region's range.
 */
export function regionAttach(bus: CxlBus, r: CxlRegion, pos: number, m: CxlMemdev): void {
  const d = m.decoder;
  if (!r.resource) fail(ENXIO, 'the region needs its size before targets', 'cxl_region_attach');
  if (d.region) fail(EBUSY, `${d.name} already decodes ${cxlRegionName(d.region)}`, 'cxl_region_attach');
  if (!d.dpaSize) fail(ENXIO, `${d.name} has no DPA allocation`, 'cxl_region_attach');
  if (d.dpaSize! * r.ways !== r.size)
    fail(EINVAL, `${d.name}'s capacity times the ways is not the region's size`, 'cxl_region_attach');
  r.targets[pos] = d;
  d.region = r;
  if (r.targets.some((t) => !t)) return;
  const hb = bus.hostBridge;
  const ports = targetMemdevs(bus, r).map((m) => m.dport);
  Object.assign(hb, { start: r.resource!.start, size: r.size, ways: r.ways, granularity: r.granularity });
  hb.targets = ports;
  hb.region = r;
  for (const t of r.targets as CxlDecoder[])
    Object.assign(t, { start: r.resource!.start, size: r.size, ways: r.ways, granularity: r.granularity });
}

/** commit_store(1): program every decoder on the path (cxl_region_decode_commit); then the driver may bind. */
export function regionCommit(r: CxlRegion): void {
  if (!r.targets.length || r.targets.some((t) => !t)) fail(ENXIO, 'every target is needed to commit', 'commit_store');
  r.committed = true;
}

/** bind to cxl_region (cxl enable-region): a committed pmem region gets its nd region. */
export function regionEnable(k: Kernel, r: CxlRegion): void {
  if (!r.committed) fail(ENXIO, 'only a committed region binds to cxl_region', 'cxl_region_probe');
  if (r.enabled) return;
  r.enabled = true;
  cxlPmemRegionProbe(k, r);
}

/** unbind (cxl disable-region): the nd region and everything on it goes. */
export function regionDisable(k: Kernel, r: CxlRegion): void {
  if (!r.enabled) return;
  cxlPmemRegionRemove(k, r);
  r.enabled = false;
}

/**
 * commit_store(0) and the targets' removal: the decoders stop decoding; the endpoints forget the range
 * (cxl_region_detach) while the host bridge's decoder keeps its last programming, only its region link goes.
 */
export function regionDecodeReset(bus: CxlBus, r: CxlRegion): void {
  r.committed = false;
  for (const t of r.targets) {
    if (!t) continue;
    Object.assign(t, { start: 0, size: 0, region: undefined });
  }
  if (bus.hostBridge.region === r) bus.hostBridge.region = undefined;
  r.targets = r.targets.map(() => undefined);
}

/**
 * delete_region: the range goes back to the window, and the id to the memregion ida; the root decoder offers
 * the lower of its cached id and this one next (cxl_region_release).
 */
export function regionDelete(k: Kernel, r: CxlRegion): void {
  const bus = cxlBus(k);
  regionDisable(k, r);
  if (r.committed || r.targets.some(Boolean)) regionDecodeReset(bus, r);
  if (r.resource) removeResource(r.resource);
  bus.regions = bus.regions.filter((x) => x !== r);
  if (r.id < r.root.nextRegionId) {
    memregionFree(k, r.root.nextRegionId);
    r.root.nextRegionId = r.id;
  } else memregionFree(k, r.id);
}
