// ndctl's namespace commands as the kernel carries them out, with ndctl's own
// refusals and messages (ndctl/namespace.c: namespace_create,
// namespace_reconfig, namespace_destroy, validate_namespace_options).
import type { Action } from '../../actions/types';
import { EBUSY, EINVAL, ENODEV, ENOSPC, ENXIO } from '../kernel/errno';
import {
  firstFit,
  largestFree,
  nsConfigure,
  nsCreateSeed,
  nsDelete,
  nsLabelsInitWith,
  nsName,
  nsPruneSeeds,
  nsSeed,
  type Namespace,
} from '../kernel/namespace';
import { nsProbe, nsRemove, nsSetEnabled, regionRemoveNamespaces } from '../kernel/nd-pmem';
import { regionName, type Region } from '../kernel/region';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { jsonC } from './json-c';
import { findNamespace, findRegion, ndctlFailure, uuidGenerate, type NdctlState } from './ndctl';
import { namespaceJson } from './ndctl-json';

type Create = Extract<Action, { kind: 'create-namespace' }>;

/** The JSON ndctl prints for the namespace it made (util_namespace_to_json with the dax region). */
const describe = (k: Kernel, ns: Namespace): string =>
  jsonC(namespaceJson(k, ns, { human: false, verbose: false, dax: true }));

/** The region and (for -e) the namespace a create-namespace works on. */
function createTarget(k: Kernel, a: Create): { region: Region; target?: Namespace } {
  if (a.reconfig) {
    const target = findNamespace(k, a.reconfig);
    if (target.size > 0 && target.mode !== 'raw' && !a.force) {
      throw ndctlFailure(
        `  ${a.reconfig} is active, specify --force for re-configuration\n`,
        EBUSY,
        why(
          'reconfiguring an active namespace destroys its data: ndctl wants --force',
          'ndctl/namespace.c:namespace_reconfig',
        ),
      );
    }
    return { region: target.region, target };
  }
  const region = a.region
    ? findRegion(k, a.region)
    : k.regions.find((r) => r.enabled && (r.labelled || r.namespaces.some((n) => n.mode === 'raw' && n.size > 0)));
  if (!region) {
    throw ndctlFailure(
      'failed to create namespace: No such device or address\n',
      ENXIO,
      why('no region with free capacity', 'ndctl/namespace.c'),
    );
  }
  return { region };
}

function validateSize(region: Region, size: number | undefined): void {
  if (size !== undefined && !region.labelled) {
    const text =
      '  Error: Legacy / label-less namespaces do not support sub-dividing a region\n\n' +
      '  Error: Retry without -s/--size=\n\nfailed to create namespace: Invalid argument\n';
    const rule =
      'a region without a label index has exactly one namespace covering all of it' +
      ' (ndctl writes labels itself only when no size is asked for)';
    // ndctl 76 exits 237 (-ENODEV as a byte) here, seen on the reference guest.
    throw ndctlFailure(text, ENODEV, why(rule, 'ndctl/namespace.c:validate_namespace_options'));
  }
  if (size !== undefined && (Number.isNaN(size) || size % region.align !== 0)) {
    const align = `0x${region.align.toString(16)}`;
    const asked = `0x${(size || 0).toString(16)}`;
    const text =
      `Error: create namespace: ${regionName(region)}: align setting is ${align} size ${asked}` + ' is misaligned\n';
    const rule = `namespace sizes must be multiples of the region's align (${align})`;
    throw ndctlFailure(text, EINVAL, why(rule, 'ndctl/namespace.c:validate_namespace_options'));
  }
}

export function createNamespace(k: Kernel, t: NdctlState, a: Create): string {
  const mode = a.mode ?? 'fsdax';
  const { region, target } = createTarget(k, a);
  validateSize(region, a.size);

  // A DIMM with a label area but no index gets labels written first, as ndctl does.
  if (region.labelArea && !region.labelled && region.kind === 'nfit') {
    const size = a.size ?? target?.size ?? region.size;
    regionRemoveNamespaces(k, region);
    const config = { start: region.start, size, mode, uuid: uuidGenerate(t), offset: 0, enabled: true };
    const ns = nsLabelsInitWith(region, config);
    t.labelVersions.set(region.id, '1.2');
    nsProbe(k, ns);
    return describe(k, ns);
  }

  // Label-less: the one namespace changes mode.
  if (!region.labelled) {
    const ns = target ?? region.namespaces[0]!;
    nsRemove(k, ns);
    nsConfigure(ns, { mode, ...(mode !== 'raw' ? { uuid: uuidGenerate(t) } : {}) });
    nsProbe(k, ns);
    return describe(k, ns);
  }

  if (target && target.size > 0) {
    nsRemove(k, target);
    nsConfigure(target, { size: 0 });
  }
  const size = a.size ?? target?.size ?? largestFree(region);
  const at = firstFit(region, size);
  if (size === 0 || at === undefined) {
    throw ndctlFailure(
      'failed to create namespace: No space left on device\n',
      ENOSPC,
      why(
        `${regionName(region)} has no free extent of ${size} bytes`,
        'drivers/nvdimm/namespace_devs.c:__reserve_free_pmem',
      ),
    );
  }
  // The seed takes the new namespace (with -e of a zero-size namespace, that one).
  const seed = nsSeed(region) ?? target!;
  nsConfigure(seed, { start: at, size, mode, uuid: uuidGenerate(t), offset: 0, enabled: true });
  nsProbe(k, seed);
  if (!nsSeed(region)) nsCreateSeed(region);
  return describe(k, seed);
}

/** The namespaces a command names: one, or every namespace with capacity for "all". */
const withCapacity = (k: Kernel, target: string): Namespace[] =>
  target === 'all' ? k.regions.flatMap((r) => r.namespaces.filter((n) => n.size > 0)) : [findNamespace(k, target)];

export function destroyNamespace(k: Kernel, a: Extract<Action, { kind: 'destroy-namespace' }>): string {
  const list = withCapacity(k, a.target);
  for (const ns of list) {
    if (!ns.region.labelled) {
      const hint = 'reconfigure it with create-namespace -e';
      throw ndctlFailure(
        `  ${nsName(ns)}: destroy is not supported for label-less namespaces; ${hint}\n`,
        EINVAL,
        why('a label-less namespace is the region itself', 'ndctl/namespace.c:namespace_destroy'),
      );
    }
    if (ns.mode !== 'raw' && !a.force) {
      throw ndctlFailure(
        `  ${nsName(ns)} is active, specify --force for namespace destruction\n`,
        EBUSY,
        why('destroying an active namespace needs --force', 'ndctl/namespace.c:namespace_destroy'),
      );
    }
    nsRemove(k, ns);
    nsDelete(ns);
  }
  nsPruneSeeds(k.regions);
  return `destroyed ${list.length} namespace${list.length === 1 ? '' : 's'}\n`;
}

/** ndctl disable-namespace / enable-namespace. */
export function setNamespaceEnabled(k: Kernel, a: Extract<Action, { kind: 'namespace-enable' }>): string {
  const list = withCapacity(k, a.target);
  for (const ns of list) nsSetEnabled(k, ns, a.enable);
  return `${a.enable ? 'enabled' : 'disabled'} ${list.length} namespace${list.length === 1 ? '' : 's'}\n`;
}
