// ndctl's namespace commands as the kernel carries them out, with ndctl's own
// refusals and messages (ndctl/namespace.c: namespace_create,
// namespace_reconfig, namespace_destroy, validate_namespace_options).
import type { Action } from '../../actions/types';
import { EBUSY, EINVAL, ENOSPC, ENXIO, KernelError, strerror } from '../kernel/errno';
import {
  firstFit,
  largestFree,
  nsAdvanceSeeds,
  nsClaimBySeed,
  nsConfigure,
  nsDelete,
  nsFind,
  nsForCreate,
  nsHolderName,
  nsLabelsInit,
  unclaimedMode,
  nsName,
  nsScan,
  nsUnclaim,
  type Namespace,
} from '../kernel/namespace';
import { nsProbe, nsRemove, nsSetEnabled } from '../kernel/nd-pmem';
import { regionName, type Region } from '../kernel/region';
import { ResourceBusyError } from '../kernel/resource';
import type { Kernel } from '../kernel/state';
import { why, type Why } from '../why';
import type { ToolFailure } from './failure';
import { jsonC } from './json-c';
import { ndctlFailure, uuidGenerate, type NdctlState } from './ndctl';
import { namespaceJson } from './ndctl-json';
import { checkDaxAlign, createFailure, pfnOptions, validateSize } from './ndctl-options';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

type Create = Extract<Action, { kind: 'create-namespace' }>;

/** The JSON ndctl prints for the namespace it made (util_namespace_to_json with the dax region). */
const describe = (k: Kernel, ns: Namespace): string =>
  jsonC(namespaceJson(k, ns, { human: false, verbose: false, dax: true }));

/** A region ndctl passes over when it looks for room (-EAGAIN in do_xaction_namespace). */
class NoRoom extends Error {}

/** ndctl_namespace_is_active: a namespace with a driver (or claimed by an enabled pfn/dax device). */
function checkIdle(ns: Namespace, a: Create): void {
  if (ns.size > 0 && ns.enabled && !a.force) {
    const rule = 'reconfiguring an active namespace destroys its data: ndctl wants --force';
    const message = `${nsName(ns)} is active, specify --force for re-configuration`;
    throw createFailure(a, [message], EBUSY, why(rule, 'ndctl/namespace.c:namespace_prep_reconfig'));
  }
}

/**
 * ndctl_namespace_disable_safe: a namespace whose dax device has memory online as System RAM is not disabled
 * (-EBUSY, said only at debug level), --force or not; create-namespace -e and destroy-namespace both start there.
 */
function activeSystemRam(k: Kernel, ns: Namespace): Why | undefined {
  const dax = [...k.dax.values()].find((d) => d.ns === ns && d.driver === 'kmem');
  if (!dax?.kmem?.blocks.some((id) => k.blocks.isOnline(id))) return undefined;
  const rule = `${dax.name} has memory online as System RAM: ndctl will not disable ${nsName(ns)}`;
  return why(rule, 'ndctl/lib/libndctl.c:ndctl_namespace_disable_safe');
}

/**
 * The driver takes the configured namespace; if it refuses, libndctl and ndctl
 * say so and ndctl's autorecover (on by default) detaches the pfn/dax seed and,
 * for a new labelled namespace, sets its size back to 0 (ndctl/namespace.c
 * namespace_create, setup_namespace).
 */
function enable(k: Kernel, ns: Namespace, a: Create): void {
  checkDaxAlign(ns, nsName(ns), a);
  nsClaimBySeed(ns);
  const device = nsHolderName(ns);
  try {
    nsProbe(k, ns);
  } catch (e) {
    nsRemove(k, ns);
    nsUnclaim(ns);
    if (a.reconfig || !ns.region.labelled) ns.enabled = false;
    else nsDelete(ns);
    if (!(e instanceof KernelError) || e instanceof ResourceBusyError) throw e;
    const kind = device ? device.slice(0, 3) : 'namespace';
    const lib = enableFailed(`ndctl_${kind}_enable`, device ?? nsName(ns));
    const f = createFailure(a, [`${nsName(ns)}: failed to enable`], e.errno, e.why);
    throw ndctlFailure(lib + f.output, f.errno, e.why);
  }
  nsAdvanceSeeds(ns);
}

/** libndctl's line when a device's driver would not take it (ndctl/lib/libndctl.c, ndctl_*_enable) */
const enableFailed = (fn: string, device: string) => `libndctl: ${fn}: ${device}: failed to enable\n`;

/** zero_info_block (ndctl/namespace.c) could not enable the namespace to zero its info block, and goes on */
const zeroingFailed = (ns: Namespace) => `${nsName(ns)} failed to enable for zeroing, continuing`;

/**
 * -e on a zero-size namespace without -s: namespace_prep_reconfig zeroes the info block through the namespace,
 * whose driver will not take it (logged, ndctl goes on), then setup_namespace asks libndctl for size 0, which it
 * refuses (ndctl_namespace_set_size: "use ndctl_namespace_delete() instead"). Found by the fuzzer on a CXL region's
 * seed.
 */
function seedWithoutSize(ns: Namespace, a: Create): ToolFailure {
  const lib = enableFailed('ndctl_namespace_enable', nsName(ns));
  const rule = why(
    `${nsName(ns)} has no size and -s gives none: libndctl will not set a namespace's size to 0`,
    'ndctl/lib/libndctl.c:ndctl_namespace_set_size; ndctl/namespace.c:zero_info_block',
  );
  const messages = [zeroingFailed(ns), `${nsName(ns)}: set_size failed: ${strerror(EINVAL)}`];
  return ndctlFailure(lib + createFailure(a, messages, EINVAL, rule, true).output, EINVAL, rule);
}

/**
 * ndctl create-namespace: with -e the named namespace; else the named region,
 * or the first region with room; "No space left on device" when none has any.
 */
export function createNamespace(k: Kernel, t: NdctlState, a: Create): string {
  const source = 'ndctl/namespace.c:do_xaction_namespace';
  if (a.reconfig) {
    const target = nsFind(k.regions, a.reconfig);
    if (!target) throw createFailure(a, [], ENXIO, why(`no ${a.reconfig} on the nd bus`, source));
    return createIn(k, t, a, target.region, target);
  }
  const regions = a.region ? k.regions.filter((r) => regionName(r) === a.region) : k.regions;
  if (!regions.length) throw createFailure(a, [], ENXIO, why(`no ${a.region} on the nd bus`, source));
  for (const region of regions) {
    try {
      return createIn(k, t, a, region);
    } catch (e) {
      if (!(e instanceof NoRoom)) throw e;
    }
  }
  throw createFailure(a, [], ENOSPC, why('no region has an idle namespace and room for the size asked', source));
}

function createIn(k: Kernel, t: NdctlState, a: Create, region: Region, target?: Namespace): string {
  if (!region.enabled) throw new NoRoom();
  const mode = a.mode ?? (target && target.size > 0 ? target.mode : 'fsdax');
  // -e keeps the namespace's own size unless -s says otherwise; a new one takes the largest free extent.
  const size = a.size ?? target?.size ?? (region.labelled ? largestFree(region) : region.size);
  // namespace_create: a size larger than the region offers (its largest free extent with labels, all of it
  // without) sends ndctl on to the next region before anything else is checked
  if (!target && (size === 0 || size > (region.labelled ? largestFree(region) : region.size))) throw new NoRoom();
  validateSize(region, size, a);
  const { align, map } = pfnOptions(region, target, mode, size, a);
  if (target) checkIdle(target, a);
  const busy = target && activeSystemRam(k, target);
  if (busy) throw createFailure(a, [], EBUSY, busy);
  if (target && region.labelled && size === 0) throw seedWithoutSize(target, a);
  const config = { mode, uuid: mode !== 'raw' || region.labelled ? uuidGenerate(t) : undefined, align, map };

  if (!region.labelled) {
    // ndctl configures namespaceR.0 only while it is idle (region_get_namespace); with -e it writes
    // labels first where the DIMM can hold them (namespace_reconfig, enable_labels).
    const ns = target ?? region.namespaces[0];
    if (!ns || (!target && ns.enabled && ns.size > 0)) throw new NoRoom();
    nsRemove(k, ns);
    nsUnclaim(ns);
    if (target && region.labelArea && region.kind === 'nfit') {
      nsLabelsInit(region);
      t.labelVersions.set(region.id, '1.2');
      nsScan(region);
    } else {
      nsConfigure(ns, { ...config, offset: 0, enabled: true });
      enable(k, ns, a);
      // raw leaves the namespace unclaimed, which on a region that maps its own pages is fsdax without a pfn
      if (mode === 'raw') nsConfigure(ns, { mode: unclaimedMode(region) });
      return describe(k, ns);
    }
  } else if (target && target.size > 0) {
    // Reconfigured in place: same name and start (namespace_prep_reconfig, then size_store of the same size).
    nsRemove(k, target);
    nsUnclaim(target);
    if (size > target.size && firstFit(region, size, target) !== target.start) {
      const rule = `${regionName(region)} has no free extent of ${size} bytes after ${nsName(target)}`;
      throw createFailure(a, [], ENOSPC, why(rule, 'drivers/nvdimm/namespace_devs.c:__size_store'));
    }
    nsConfigure(target, { ...config, size, offset: 0, enabled: true });
    enable(k, target, a);
    return describe(k, target);
  }
  const ns = nsForCreate(region);
  const at = firstFit(region, size);
  if (!ns || at === undefined) throw new NoRoom();
  nsConfigure(ns, { ...config, start: at, size, offset: 0, enabled: true });
  enable(k, ns, a);
  return describe(k, ns);
}

const VERB = {
  enable: ['enabling', 'enabled'],
  disable: ['disabling', 'disabled'],
  destroy: ['destroying', 'destroyed'],
} as const;
type Verb = keyof typeof VERB;

/**
 * How enable-, disable- and destroy-namespace end when they fail (cmd_*_namespace):
 * "error VERBing namespaces: <strerror>" unless ndctl counted an error of its own, then how many it did.
 */
function xactionFailure(verb: Verb, done: number, errno: number, rule: Why, printed = ''): ToolFailure {
  const [ing, ed] = VERB[verb];
  const text = `${printed}error ${ing} namespaces: ${strerror(errno)}\n${ed} ${plural(done, 'namespace')}\n`;
  return ndctlFailure(text, errno, rule);
}

/** The namespaces a command names: one, or every namespace with a size or uuid for "all". */
function namespacesNamed(k: Kernel, target: string, verb: Verb): Namespace[] {
  if (target === 'all') return k.regions.flatMap((r) => r.namespaces.filter((n) => n.size > 0 || n.uuid));
  const ns = nsFind(k.regions, target);
  if (!ns)
    throw xactionFailure(verb, 0, ENXIO, why(`no ${target} on the nd bus`, 'ndctl/namespace.c:do_xaction_namespace'));
  return [ns];
}

/**
 * ndctl destroy-namespace: a labelled namespace loses its labels; a label-less one
 * is left disabled with its info block zeroed, in the mode the kernel gives it unclaimed, and counts only if
 * it had an info block (a pfn/dax device claimed it)
 * (ndctl/namespace.c namespace_destroy, zero_info_block).
 */
export function destroyNamespace(k: Kernel, a: Extract<Action, { kind: 'destroy-namespace' }>): string {
  const list = namespacesNamed(k, a.target, 'destroy');
  let destroyed = 0;
  let printed = '';
  for (const ns of list) {
    if (ns.enabled && ns.size > 0 && !a.force) {
      const active = `  Error: ${nsName(ns)} is active, specify --force for re-configuration\n\n`;
      const rule = 'destroying an active namespace (one with a driver) needs --force';
      throw xactionFailure(
        'destroy',
        destroyed,
        EBUSY,
        why(rule, 'ndctl/namespace.c:namespace_prep_reconfig'),
        printed + active,
      );
    }
    const busy = activeSystemRam(k, ns);
    if (busy) throw xactionFailure('destroy', destroyed, EBUSY, busy, printed);
    // zero_info_block enables the namespace to zero it: no driver takes one of size 0 (a seed), logged, ndctl goes on
    if (ns.size === 0)
      printed +=
        enableFailed('ndctl_namespace_enable', nsName(ns)) + `  Error: destroy namespace: ${zeroingFailed(ns)}\n\n`;
    if (ns.region.labelled || ns.holder !== undefined) destroyed++;
    nsRemove(k, ns);
    nsUnclaim(ns);
    if (ns.region.labelled) nsDelete(ns);
    // destroy does not force raw: the namespace is left unclaimed
    else nsConfigure(ns, { mode: unclaimedMode(ns.region), uuid: undefined, enabled: false });
  }
  return `${printed}${VERB.destroy[1]} ${plural(destroyed, 'namespace')}\n`;
}

/** ndctl disable-namespace / enable-namespace; libndctl reports a namespace its driver would not take. */
export function setNamespaceEnabled(k: Kernel, a: Extract<Action, { kind: 'namespace-enable' }>): string {
  const verb = a.enable ? 'enable' : 'disable';
  const list = namespacesNamed(k, a.target, verb);
  for (const [i, ns] of list.entries()) {
    try {
      nsSetEnabled(k, ns, a.enable);
    } catch (e) {
      if (!(e instanceof KernelError) || e instanceof ResourceBusyError) throw e;
      // the driver did not bind, whatever its probe said: libndctl's ndctl_namespace_enable answers -ENXIO
      const printed = enableFailed('ndctl_namespace_enable', nsName(ns));
      throw xactionFailure(verb, i, ENXIO, e.why, printed);
    }
  }
  return `${VERB[verb][1]} ${plural(list.length, 'namespace')}\n`;
}
