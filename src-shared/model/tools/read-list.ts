// `ndctl list` and `daxctl list` (ndctl/list.c cmd_list, ndctl/filter.c
// ndctl_filter_walk, daxctl/list.c cmd_list): which devices they walk, in
// which order, and how they nest them. An option whose output the model does
// not build (health, firmware, capabilities, media errors, dax region paths)
// leaves the output unpredicted (undefined).
import { parseOptions } from '../../actions/options';
import { nsName, type Namespace } from '../kernel/namespace';
import { regionName, type Region } from '../kernel/region';
import type { Kernel } from '../kernel/state';
import { daxDevJson } from './daxctl-json';
import { displayJsonArray, jsonC, kernfsListOrder, type JsonValue } from './json-c';
import type { NdctlState } from './ndctl';
import {
  busJson,
  ndBuses,
  dimmJson,
  interleaveSetCookie as issetCookie,
  mappingJson,
  namespaceJson,
  nfitSlot,
  nsActive,
  regionJson,
} from './ndctl-json';

const NDCTL_LIST = {
  values: { bus: 'b', region: 'r', dimm: 'd', namespace: 'n', mode: 'm', type: 't', 'numa-node': 'U' },
  flags: {
    buses: 'B',
    dimms: 'D',
    firmware: 'F',
    health: 'H',
    regions: 'R',
    namespaces: 'N',
    'device-dax': 'X',
    capabilities: 'C',
    idle: 'i',
    configured: 'c',
    'media-errors': 'M',
    human: 'u',
    verbose: 'v',
  },
};
/** what the model does not build: health, firmware, capabilities, media errors; bus, DIMM, type and NUMA filters */
const NDCTL_UNMODELLED = ['firmware', 'health', 'capabilities', 'media-errors', 'bus', 'dimm', 'type', 'numa-node'];

/** util_nsmode: the names ndctl takes for a namespace mode */
const NS_MODES: Record<string, Namespace['mode']> = {
  raw: 'raw',
  fsdax: 'fsdax',
  memory: 'fsdax',
  devdax: 'devdax',
  dax: 'devdax',
};

/** util_region_filter: "all", the device name or its number */
const regionMatches = (r: Region, ident?: string) =>
  !ident || ident === 'all' || ident === regionName(r) || ident === String(r.id);

/** util_namespace_filter: "all", the device name, or "R.N" (space-separated alternatives) */
const nsMatches = (ns: Namespace, ident?: string) =>
  !ident || ident.split(' ').some((n) => n === 'all' || n === nsName(ns) || n === `${ns.region.id}.${ns.id}`);

/** -v counted however given (-v -v, -vv, --verbose), as parse-options' OPT_INCR counts it */
export const verbosity = (args: string[]) =>
  args.reduce((n, a) => n + (a === '--verbose' ? 1 : /^-[^-]/.test(a) ? a.split('v').length - 1 : 0), 0);

export function ndctlList(k: Kernel, t: NdctlState, args: string[]): string | undefined {
  const o = parseOptions(args, NDCTL_LIST);
  if ('error' in o || o.positional.length || NDCTL_UNMODELLED.some((x) => o.flags.has(x) || o.values.has(x)))
    return undefined;
  const param = { region: o.values.get('region'), namespace: o.values.get('namespace') };
  let mode = o.values.get('mode');
  const verbose = verbosity(args);
  if (verbose > 1 || (mode && !NS_MODES[mode])) return undefined;
  const idle = o.flags.has('idle');
  const configured = o.flags.has('configured');
  const [buses, dimms] = [o.flags.has('buses'), o.flags.has('dimms')];
  let regions = o.flags.has('regions');
  let namespaces = o.flags.has('namespaces');
  let dax = o.flags.has('device-dax');
  if (!buses && !dimms && !regions && !namespaces) {
    regions = !!param.region;
    if (dax && !mode) mode = 'dax';
  }
  if (verbose) namespaces = dax = true;
  if (!buses && !dimms && !regions && !namespaces) namespaces = true;
  const flags = { human: o.flags.has('human'), verbose: verbose > 0, dax };

  // ndctl_filter_walk: bus by bus, each list in libndctl's order (readdir of /sys/class/nd, then of the
  // bus, each entry put at the head of its list: kernfs hash order reversed); -B with both buses is not modelled
  const allBuses = kernfsListOrder(ndBuses(k), (b) => `ndctl${b.id}`);
  // not modelled: -B with several buses, and the CXL bus's buses and DIMMs (its nmem for each memdev)
  if ((buses && allBuses.length > 1) || ((buses || dimms) && k.cxl)) return undefined;
  const walked = allBuses
    .flatMap((b) =>
      kernfsListOrder(
        k.regions.filter((r) => r.kind === b.kind),
        regionName,
      ),
    )
    .filter(
      (r) =>
        regionMatches(r, param.region) && (!param.namespace || r.namespaces.some((n) => nsMatches(n, param.namespace))),
    );
  if (!walked.length) return '';
  const jbus: Record<string, JsonValue> | undefined = buses ? busJson(allBuses[0]!) : undefined;
  const slots = (rs: Region[]) => rs.map((r) => nfitSlot(k, r)).filter((s) => s >= 0);
  const jdimms = dimms ? kernfsListOrder(slots(walked), (s) => `nmem${s}`).map((s) => dimmJson(s, flags)) : undefined;
  if (jbus && jdimms?.length) jbus.dimms = jdimms;
  const jregions: JsonValue[] = [];
  let jnamespaces: JsonValue[] | undefined;
  for (const r of walked) {
    let jregion: Record<string, JsonValue> | undefined;
    if (regions) {
      if (!configured && !idle && !r.enabled) continue;
      const mappings = dimms ? slots([r]).map((s) => mappingJson(s, r, flags)) : [];
      jregion = regionJson(r, flags, { isetId: issetCookie(k, r, t.labelVersions.get(r.id)), mappings });
      if (jbus && !jregions.length) jbus.regions = jregions;
      jregions.push(jregion);
      // filter_region: each region starts its own namespace array
      jnamespaces = undefined;
    }
    // a disabled region has unregistered its namespaces
    if (!namespaces || !r.enabled) continue;
    for (const ns of kernfsListOrder(r.namespaces, nsName)) {
      if (!nsMatches(ns, param.namespace) || (mode && NS_MODES[mode] !== ns.mode)) continue;
      if (!nsActive(ns) && !idle && !(configured && ns.size > 0)) continue;
      if (!jnamespaces) {
        jnamespaces = [];
        const container = jregion ?? jbus;
        if (container) container.namespaces = jnamespaces;
      }
      jnamespaces.push(namespaceJson(k, ns, flags));
    }
  }
  return listDisplay({ jbus, jdimms: jdimms?.length ? jdimms : undefined, jregions, jnamespaces }, flags.human);
}

/** list_display: the buses; else with more than one kind of list one object holding them; else the one list */
function listDisplay(
  l: { jbus?: JsonValue; jdimms?: JsonValue[]; jregions: JsonValue[]; jnamespaces?: JsonValue[] },
  human: boolean,
): string {
  if (l.jbus) return displayJsonArray([l.jbus], human);
  const jregions = l.jregions.length ? l.jregions : undefined;
  if ([l.jdimms, jregions, l.jnamespaces].filter(Boolean).length > 1) {
    return jsonC({
      ...(l.jdimms ? { dimms: l.jdimms } : {}),
      ...(jregions ? { regions: jregions } : {}),
      ...(l.jnamespaces && !jregions ? { namespaces: l.jnamespaces } : {}),
    });
  }
  return displayJsonArray(l.jdimms ?? jregions ?? l.jnamespaces ?? [], human);
}

const DAXCTL_LIST = {
  values: { region: 'r', dev: 'd' },
  flags: { devices: 'D', regions: 'R', mappings: 'M', idle: 'i', human: 'u' },
};

/** util_daxctl_dev_filter: "all", the device name, or "R.N" */
const daxMatches = (name: string, ident?: string) =>
  !ident || ident === 'all' || ident === name || `dax${ident}` === name;

/**
 * daxctl list: the devices of every dax region (one per devdax namespace),
 * regions as libdaxctl finds them on the dax bus; a pmem dax device is never
 * of size 0, so -i changes nothing. With -R (or -r alone) it
 * prints the regions' sysfs paths, which the model does not follow: unpredicted.
 */
export function daxctlList(k: Kernel, args: string[]): string | undefined {
  const o = parseOptions(args, DAXCTL_LIST);
  if ('error' in o || o.positional.length) return undefined;
  const regionIdent = o.values.get('region');
  const dev = o.values.get('dev');
  // without -D or -R, -r asks for regions (and -d for devices too)
  if (o.flags.has('regions') || (!o.flags.has('devices') && regionIdent !== undefined)) return undefined;
  const flags = { human: o.flags.has('human'), mappings: o.flags.has('mappings') };
  const devices = kernfsListOrder([...k.dax.values()], (d) => d.name).filter(
    (d) =>
      (!regionIdent ||
        regionIdent === 'all' ||
        regionIdent === String(d.ns.region.id) ||
        regionIdent === regionName(d.ns.region)) &&
      daxMatches(d.name, dev),
  );
  return displayJsonArray(
    devices.map((d) => daxDevJson(k, d, flags)),
    flags.human,
  );
}
