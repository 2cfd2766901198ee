// `ndctl list` and `daxctl list` (ndctl/list.c cmd_list, ndctl/filter.c
// ndctl_filter_walk, daxctl/list.c cmd_list): which devices they walk, in
// which order, and how they nest them. An option whose output the model does
// not build (buses, DIMMs, health, firmware, capabilities, media errors,
// dax region paths) leaves the output unpredicted (undefined).
import { parseOptions } from '../../actions/options';
import { nsName, type Namespace } from '../kernel/namespace';
import { regionName, type Region } from '../kernel/region';
import type { Kernel } from '../kernel/state';
import { daxDevJson } from './daxctl-json';
import { displayJsonArray, jsonC, kernfsListOrder, type JsonValue } from './json-c';
import type { NdctlState } from './ndctl';
import { interleaveSetCookie as issetCookie, namespaceJson, nsActive, regionJson } from './ndctl-json';

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
/** what the model does not build: buses, DIMMs and what only they carry, region types, NUMA filters */
const NDCTL_UNMODELLED = [
  'buses',
  'dimms',
  'firmware',
  'health',
  'capabilities',
  'media-errors',
  'bus',
  'dimm',
  'type',
];

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

const verbosity = (args: string[]) =>
  args.reduce((n, a) => n + (a === '--verbose' ? 1 : /^-[^-]/.test(a) ? a.split('v').length - 1 : 0), 0);

export function ndctlList(k: Kernel, t: NdctlState, args: string[]): string | undefined {
  const o = parseOptions(args, NDCTL_LIST);
  if ('error' in o || o.positional.length || NDCTL_UNMODELLED.some((x) => o.flags.has(x) || o.values.has(x)))
    return undefined;
  const param = { region: o.values.get('region'), namespace: o.values.get('namespace') };
  let mode = o.values.get('mode');
  const verbose = verbosity(args);
  if (verbose > 1 || o.values.has('numa-node') || (mode && !NS_MODES[mode])) return undefined;
  const idle = o.flags.has('idle');
  const configured = o.flags.has('configured');
  let regions = o.flags.has('regions');
  let namespaces = o.flags.has('namespaces');
  let dax = o.flags.has('device-dax');
  if (!regions && !namespaces) {
    regions = !!param.region;
    if (dax && !mode) mode = 'dax';
  }
  if (verbose) namespaces = dax = true;
  if (!regions && !namespaces) namespaces = true;
  const flags = { human: o.flags.has('human'), verbose: verbose > 0, dax };

  const jregions: JsonValue[] = [];
  let jnamespaces: JsonValue[] | undefined;
  for (const r of kernfsListOrder(k.regions, regionName)) {
    if (!regionMatches(r, param.region)) continue;
    if (param.namespace && !r.namespaces.some((n) => nsMatches(n, param.namespace))) continue;
    let jregion: Record<string, JsonValue> | undefined;
    if (regions) {
      if (!configured && !idle && !r.enabled) continue;
      jregion = regionJson(r, flags, issetCookie(k, r, t.labelVersions.get(r.id)));
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
        if (jregion) jregion.namespaces = jnamespaces;
      }
      jnamespaces.push(namespaceJson(k, ns, flags));
    }
  }
  // list_display: regions and (the last region's) namespaces both found -> one object; else the one list found
  if (jregions.length && jnamespaces) return jsonC({ regions: jregions });
  if (jregions.length) return displayJsonArray(jregions, flags.human);
  return displayJsonArray(jnamespaces ?? [], flags.human);
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
