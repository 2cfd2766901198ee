// ndctl's namespace and region commands as the kernel carries them out, with
// ndctl's own refusals and messages (ndctl/namespace.c, ndctl/region.c).
import type { Action } from '../actions/types';
import { claim, disableRegion, enableRegion, firstFit, NdError, nsName, regionName, release, type Namespace, type Region } from './libnvdimm';
import { createDaxDevice, removeDaxDevice } from './dax';
import type { ModelState } from './state';
import { why } from './why';
import { sectionNeighbour } from './subsections';

const EINVAL = 256 - 22;
const ENOSPC = 256 - 28;
const ENXIO = 256 - 6;
/** what ndctl 76 exits with for a size on a label-less region (seen on the reference guest) */
const LABELLESS_SIZE = 237;

function findRegion(m: ModelState, name: string): Region {
  const r = m.regions.find((x) => regionName(x) === name);
  if (!r) throw new NdError(`error: region ${name} not found\n`, ENXIO, why('no such region on the nd bus', 'ndctl/region.c'));
  return r;
}

function findNamespace(m: ModelState, name: string): Namespace {
  for (const r of m.regions) for (const ns of r.namespaces) if (nsName(ns) === name) return ns;
  throw new NdError(`error: namespace ${name} not found\n`, ENXIO, why('no such namespace on the nd bus', 'ndctl/namespace.c'));
}

/** Tear down what claims a namespace: its dax device and its resources. */
function unclaim(m: ModelState, ns: Namespace): void {
  const dax = [...m.dax.values()].find((d) => d.ns === ns);
  if (dax) removeDaxDevice(m, dax);
  release(ns);
}

/** The region comes up and its drivers claim every namespace with capacity: the same path at boot and on enable-region. */
export function probeRegion(m: ModelState, region: Region): void {
  enableRegion(region);
  for (const ns of region.namespaces) if (ns.size > 0 && ns.enabled) activate(m, ns);
}

function activate(m: ModelState, ns: Namespace): void {
  if (ns.mode !== 'raw' && (m.rules === '5.1' || m.rules === '5.0')) {
    const other = sectionNeighbour(m, ns.start, ns.start + ns.size - 1);
    if (other) {
      throw new NdError(`failed to enable ${nsName(ns)}: No such device or address\n`, ENXIO,
        why(`before 5.3 a ZONE_DEVICE mapping must own whole 128 MiB sections; ${nsName(ns)} shares one with ${other.owner} (devm_memremap_pages attempted on mixed region)`, 'kernel/memremap.c:devm_memremap_pages (5.2); sub-sections came in 5.3, mm/sparse.c'));
    }
  }
  claim(m.root, ns);
  if (ns.mode === 'devdax') createDaxDevice(m, ns);
}

function uuid(m: ModelState): string {
  const n = (m.uuidCounter++).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${n}`;
}

function describe(ns: Namespace, m: ModelState): string {
  const dax = [...m.dax.values()].find((d) => d.ns === ns);
  const size = ns.mode === 'raw' ? ns.size : ns.size - ns.offset;
  return JSON.stringify({ dev: nsName(ns), mode: ns.mode, ...(ns.mode !== 'raw' ? { map: 'dev' } : {}), size, uuid: ns.uuid, ...(dax ? { chardev: dax.name } : {}) }, null, 2) + '\n';
}

export function createNamespace(m: ModelState, a: Extract<Action, { kind: 'create-namespace' }>): string {
  const mode = a.mode ?? 'fsdax';
  let region: Region;
  let target: Namespace | undefined;
  if (a.reconfig) {
    target = findNamespace(m, a.reconfig);
    region = target.region;
    if (target.size > 0 && target.mode !== 'raw' && !a.force) {
      throw new NdError(`  ${a.reconfig} is active, specify --force for re-configuration\n`, 256 - 16, why('reconfiguring an active namespace destroys its data: ndctl wants --force', 'ndctl/namespace.c:namespace_reconfig'));
    }
  } else {
    const found = a.region ? findRegion(m, a.region) : m.regions.find((r) => r.enabled && (r.labelled || r.namespaces.some((n) => n.mode === 'raw' && n.size > 0)));
    if (!found) throw new NdError('failed to create namespace: No such device or address\n', ENXIO, why('no region with free capacity', 'ndctl/namespace.c'));
    region = found;
  }
  if (a.size !== undefined && !region.labelled) {
    throw new NdError('  Error: Legacy / label-less namespaces do not support sub-dividing a region\n\n  Error: Retry without -s/--size=\n\nfailed to create namespace: Invalid argument\n', LABELLESS_SIZE,
      why('a region without a label index has exactly one namespace covering all of it (ndctl writes labels itself only when no size is asked for)', 'ndctl/namespace.c:validate_namespace_options'));
  }
  if (a.size !== undefined && (Number.isNaN(a.size) || a.size % region.align !== 0)) {
    throw new NdError(`Error: create namespace: ${regionName(region)}: align setting is 0x${region.align.toString(16)} size 0x${(a.size || 0).toString(16)} is misaligned\n`, EINVAL,
      why(`namespace sizes must be multiples of the region's align (0x${region.align.toString(16)})`, 'ndctl/namespace.c:validate_namespace_options'));
  }

  // A DIMM with a label area but no index gets labels written first, as ndctl does.
  if (region.labelArea && !region.labelled && region.kind === 'nfit') {
    const size = a.size ?? target?.size ?? region.size;
    unclaimRegion(m, region);
    region.labelled = true;
    region.namespaces = [];
    const ns: Namespace = { region, id: 0, start: region.start, size, mode, uuid: uuid(m), offset: 0, resources: [], enabled: true };
    region.namespaces.push(ns, { region, id: 1, start: 0, size: 0, mode: 'raw', offset: 0, resources: [], enabled: true });
    activate(m, ns);
    return describe(ns, m);
  }

  if (!region.labelled) {
    const ns = target ?? region.namespaces[0]!;
    unclaim(m, ns);
    ns.mode = mode;
    if (mode !== 'raw') ns.uuid = uuid(m);
    activate(m, ns);
    return describe(ns, m);
  }

  if (target && target.size > 0) {
    unclaim(m, target);
    target.size = 0;
  }
  const size = a.size ?? target?.size ?? largestFree(region);
  const at = firstFit(region, size);
  if (size === 0 || at === undefined) {
    throw new NdError(`failed to create namespace: No space left on device\n`, ENOSPC, why(`${regionName(region)} has no free extent of ${size} bytes`, 'drivers/nvdimm/namespace_devs.c:__reserve_free_pmem'));
  }
  const seed = region.namespaces.find((n) => n.size === 0) ?? target!;
  Object.assign(seed, { start: at, size, mode, uuid: uuid(m), offset: 0, enabled: true });
  activate(m, seed);
  if (!region.namespaces.some((n) => n.size === 0)) region.namespaces.push({ region, id: nextId(region), start: 0, size: 0, mode: 'raw', offset: 0, resources: [], enabled: true });
  return describe(seed, m);
}

function largestFree(region: Region): number {
  for (let size = region.size; size >= region.align; size -= region.align) if (firstFit(region, size) !== undefined) return size;
  return 0;
}

function nextId(region: Region): number {
  return region.namespaces.reduce((mx, n) => Math.max(mx, n.id + 1), 0);
}

function unclaimRegion(m: ModelState, region: Region): void {
  for (const ns of region.namespaces) unclaim(m, ns);
}

export function destroyNamespace(m: ModelState, a: Extract<Action, { kind: 'destroy-namespace' }>): string {
  const list = a.target === 'all' ? m.regions.flatMap((r) => r.namespaces.filter((n) => n.size > 0)) : [findNamespace(m, a.target)];
  for (const ns of list) {
    if (!ns.region.labelled) {
      throw new NdError(`  ${nsName(ns)}: destroy is not supported for label-less namespaces; reconfigure it with create-namespace -e\n`, EINVAL, why('a label-less namespace is the region itself', 'ndctl/namespace.c:namespace_destroy'));
    }
    if (ns.mode !== 'raw' && !a.force) throw new NdError(`  ${nsName(ns)} is active, specify --force for namespace destruction\n`, 256 - 16, why('destroying an active namespace needs --force', 'ndctl/namespace.c:namespace_destroy'));
    unclaim(m, ns);
    ns.size = 0;
    ns.mode = 'raw';
    ns.uuid = undefined;
  }
  for (const r of m.regions) {
    const seeds = r.namespaces.filter((n) => n.size === 0);
    r.namespaces = r.namespaces.filter((n) => n.size > 0 || n === seeds[seeds.length - 1]);
  }
  return `destroyed ${list.length} namespace${list.length === 1 ? '' : 's'}\n`;
}

export function setRegionEnabled(m: ModelState, a: Extract<Action, { kind: 'region-enable' }>): string {
  const list = a.target === 'all' ? m.regions : [findRegion(m, a.target)];
  for (const r of list) {
    if (a.enable && !r.enabled) probeRegion(m, r);
    else if (!a.enable && r.enabled) {
      unclaimRegion(m, r);
      disableRegion(r);
    }
  }
  return `${a.enable ? 'enabled' : 'disabled'} ${list.length} region${list.length === 1 ? '' : 's'}\n`;
}

export function initLabels(m: ModelState, a: Extract<Action, { kind: 'init-labels' }>): string {
  const targets = m.regions.filter((r) => r.kind === 'nfit' && r.labelArea && (a.target === 'all' || a.target === `nmem${r.id}`));
  if (targets.some((r) => r.enabled)) {
    throw new NdError(targets.map((r) => `nmem${r.id}: regions active, abort label write\n`).join('') + 'initialized 0 nmem\n', 1, why('labels can only be written while the DIMM\'s regions are disabled', 'ndctl/dimm.c:action_write'));
  }
  for (const r of targets) {
    r.labelled = true;
    r.namespaces = [];
  }
  return `initialized ${targets.length} nmem\n`;
}

/** ndctl disable-namespace / enable-namespace: the driver lets go of the namespace, or claims it again as its mode says. */
export function setNamespaceEnabled(m: ModelState, a: Extract<Action, { kind: 'namespace-enable' }>): string {
  const list = a.target === 'all' ? m.regions.flatMap((r) => r.namespaces.filter((n) => n.size > 0)) : [findNamespace(m, a.target)];
  for (const ns of list) {
    if (a.enable && !ns.enabled) {
      ns.enabled = true;
      activate(m, ns);
    } else if (!a.enable && ns.enabled) {
      unclaim(m, ns);
      ns.enabled = false;
    }
  }
  return `${a.enable ? 'enabled' : 'disabled'} ${list.length} namespace${list.length === 1 ? '' : 's'}\n`;
}
