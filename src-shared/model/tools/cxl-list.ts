// `cxl list` (ndctl 76.1 cxl/list.c cmd_list, cxl/filter.c cxl_filter_walk):
// the walk from the bus through the host bridge's port to each endpoint, each
// object put in its parent's child array ("ports:root0", "decoders:port1") when
// the parent is listed, else in a top-level list; with more than one top-level
// list, each goes in an object named for it. libcxl lists decoders by id,
// regions by address and endpoints in kernfs order. Filters the model does not
// follow (serial, bus, port, endpoint, a memdev or decoder filter beside other
// lists) and health, partition and alert data leave the output unpredicted.
import { parseOptions } from '../../actions/options';
import type { CxlBus, CxlDecoder, CxlMemdev, CxlRegion } from '../kernel/cxl/bus';
import type { Kernel } from '../kernel/state';
import {
  cxlBusJson,
  cxlDecoderJson,
  cxlEndpointJson,
  cxlMemdevJson,
  cxlPortJson,
  cxlRegionJson,
  type CxlJsonFlags,
} from './cxl-json';
import { filterHas, memdevMatches, regionMatches } from './cxl-shared';
import { jsonC, kernfsListOrder, type JsonValue } from './json-c';
import { verbosity } from './read-list';

const CXL_LIST = {
  values: { memdev: 'm', serial: 's', bus: 'b', port: 'p', endpoint: 'e', decoder: 'd', region: 'r' },
  flags: {
    memdevs: 'M',
    buses: 'B',
    ports: 'P',
    single: 'S',
    endpoints: 'E',
    decoders: 'D',
    targets: 'T',
    regions: 'R',
    idle: 'i',
    human: 'u',
    health: 'H',
    partition: 'I',
    'alert-config': 'A',
    verbose: 'v',
  },
};
const UNMODELLED = ['serial', 'bus', 'port', 'endpoint', 'single', 'health', 'partition', 'alert-config'];
const LISTS = ['memdevs', 'buses', 'ports', 'endpoints', 'decoders', 'regions'] as const;
type List = (typeof LISTS)[number];

interface Params extends CxlJsonFlags {
  lists: Set<List>;
  idle: boolean;
  memdev?: string;
  decoder?: string;
  region?: string;
}

type JsonObject = Record<string, JsonValue>;

/** util_cxl_decoder_filter: "all", its port's class (the kinds' names), "P.D", "decoderP.D" or the name. */
function decoderMatches(d: CxlDecoder, ident: string): boolean {
  const n = /^(?:decoder)?(\d+)\.(\d+)/.exec(ident);
  return (
    ident === 'all' ||
    ident === d.kind ||
    (n !== null && d.name === `decoder${Number(n[1])}.${Number(n[2])}`) ||
    ident === d.name
  );
}

function params(args: string[]): Params | undefined {
  const o = parseOptions(args, CXL_LIST);
  if ('error' in o || o.positional.length || UNMODELLED.some((x) => o.flags.has(x) || o.values.has(x))) return;
  const p: Params = {
    lists: new Set(LISTS.filter((l) => o.flags.has(l))),
    idle: o.flags.has('idle'),
    human: o.flags.has('human'),
    targets: o.flags.has('targets'),
    memdev: o.values.get('memdev'),
    decoder: o.values.get('decoder'),
    region: o.values.get('region'),
  };
  // cmd_list: a filter alone lists its kind; nothing at all lists regions and memdevs
  if (!p.lists.size) {
    if (p.memdev !== undefined) p.lists.add('memdevs');
    if (p.decoder !== undefined) p.lists.add('decoders');
    if (p.region !== undefined) p.lists.add('regions');
  }
  if (!p.lists.size) (['regions', 'memdevs'] as List[]).forEach((l) => p.lists.add(l));
  const verbose = verbosity(args);
  if (verbose > 2) return;
  if (verbose > 1) p.idle = true;
  if (verbose > 0) {
    (['buses', 'ports', 'endpoints', 'decoders'] as List[]).forEach((l) => p.lists.add(l));
    p.targets = true;
  }
  // a memdev filter also prunes decoders, ports and targets, a decoder filter memdevs: not followed
  const others = [...p.lists].filter((l) => l !== 'memdevs');
  if (p.memdev !== undefined && others.length) return;
  if (p.decoder !== undefined && others.some((l) => l !== 'decoders' && l !== 'regions')) return;
  return p;
}

/** The top-level lists, in the order cxl_filter_walk splices them. */
interface TopLevel {
  buses: JsonValue[];
  ports: JsonValue[];
  endpoints: JsonValue[];
  memdevs: JsonValue[];
  'root decoders': JsonValue[];
  'port decoders': JsonValue[];
  'endpoint decoders': JsonValue[];
  regions: JsonValue[];
}

class Walk {
  readonly top: TopLevel = {
    buses: [],
    ports: [],
    endpoints: [],
    memdevs: [],
    'root decoders': [],
    'port decoders': [],
    'endpoint decoders': [],
    regions: [],
  };

  constructor(
    readonly bus: CxlBus,
    readonly p: Params,
  ) {}

  /** An empty child array for a listed parent and a list that is asked for. */
  private child = (parent: JsonObject | undefined, list: List) =>
    parent && this.p.lists.has(list) ? ([] as JsonValue[]) : undefined;

  /** cond_add_put_array_suffix: a child array joins its parent only when it holds something. */
  private adopt(parent: JsonObject | undefined, key: string, children: JsonValue[] | undefined): void {
    if (parent && children?.length) parent[key] = children;
  }

  root(): void {
    const l = this.p.lists;
    const jbus = l.has('buses') ? cxlBusJson(this.p) : undefined;
    if (jbus) this.top.buses.push(jbus);
    const [ports, eps, devs, decoders, regions] = (
      ['ports', 'endpoints', 'memdevs', 'decoders', 'regions'] as const
    ).map((x) => this.child(jbus, x));
    this.decoders(this.bus.roots, decoders ?? this.top['root decoders'], regions ?? this.top.regions);
    this.hostBridge(ports ?? this.top.ports, decoders, eps, devs);
    this.adopt(jbus, 'ports:root0', ports);
    this.adopt(jbus, 'endpoints:root0', eps);
    this.adopt(jbus, 'decoders:root0', decoders);
    this.adopt(jbus, 'regions:root0', regions);
    this.adopt(jbus, 'memdevs:root0', devs);
  }

  /** walk_child_ports for port1; a listed bus lends its arrays to everything below it. */
  private hostBridge(ports: JsonValue[], busDecoders?: JsonValue[], busEps?: JsonValue[], busDevs?: JsonValue[]): void {
    const l = this.p.lists;
    const jport = l.has('ports') ? cxlPortJson(this.bus, this.p) : undefined;
    if (jport) ports.push(jport);
    const [eps, devs, decoders] = (['endpoints', 'memdevs', 'decoders'] as const).map((x) => this.child(jport, x));
    if (l.has('endpoints') || l.has('memdevs') || l.has('decoders'))
      this.endpoints(
        eps ?? busEps ?? this.top.endpoints,
        devs ?? busDevs ?? this.top.memdevs,
        decoders ?? busDecoders ?? this.top['endpoint decoders'],
      );
    this.decoders([this.bus.hostBridge], decoders ?? busDecoders ?? this.top['port decoders']);
    this.adopt(jport, 'endpoints:port1', eps);
    this.adopt(jport, 'decoders:port1', decoders);
    this.adopt(jport, 'memdevs:port1', devs);
  }

  /** walk_endpoints: an endpoint holds its memdev, and its decoders when both are listed. */
  private endpoints(eps: JsonValue[], devs: JsonValue[], decoders: JsonValue[]): void {
    const l = this.p.lists;
    for (const m of kernfsListOrder(this.bus.memdevs, (x) => x.endpoint)) {
      if (!memdevPasses(m, this.p.memdev)) continue;
      const jep = l.has('endpoints') ? cxlEndpointJson(m) : undefined;
      if (jep) eps.push(jep);
      if (l.has('memdevs')) {
        const jdev = cxlMemdevJson(m, this.p);
        if (jep) jep.memdev = jdev;
        else devs.push(jdev);
      }
      if (!l.has('decoders')) continue;
      const mine = jep ? [] : undefined;
      this.decoders([m.decoder], mine ?? decoders);
      this.adopt(jep, `decoders:${m.endpoint}`, mine);
    }
  }

  /** walk_decoders: a decoder of size 0 is idle; a root decoder's regions nest in it when it is listed. */
  private decoders(list: CxlDecoder[], out: JsonValue[], regionsOut?: JsonValue[]): void {
    const p = this.p;
    for (const d of list) {
      let jdecoder: JsonObject | undefined;
      let mine: JsonValue[] | undefined;
      if (p.lists.has('decoders') && decoderPasses(d, p)) {
        if (!p.idle && !d.size) continue;
        jdecoder = cxlDecoderJson(this.bus, d, p);
        if (p.lists.has('regions')) mine = [];
        out.push(jdecoder);
      }
      if (!p.lists.has('regions') || d.kind !== 'root') continue;
      this.regions(d, mine ?? regionsOut!);
      this.adopt(jdecoder, `regions:${d.name}`, mine);
    }
  }

  /** walk_regions: a root decoder's regions by address; a disabled one only with --idle. */
  private regions(root: CxlDecoder, out: JsonValue[]): void {
    const p = this.p;
    const mine = this.bus.regions
      .filter((r) => r.root === root)
      .sort((a, b) => (a.resource?.start ?? Infinity) - (b.resource?.start ?? Infinity));
    for (const r of mine) {
      if (p.region !== undefined && !filterHas(p.region, (n) => regionMatches(r, n))) continue;
      if (p.decoder !== undefined && !filterHas(p.decoder, (n) => decoderMatches(r.root, n))) continue;
      if (!p.idle && !r.enabled) continue;
      out.push(cxlRegionJson(r, this.bus, p));
    }
  }
}

const memdevPasses = (m: CxlMemdev, ident?: string) =>
  ident === undefined || filterHas(ident, (n) => memdevMatches(m, n));

/** util_cxl_decoder_filter and util_cxl_decoder_filter_by_region (a root decoder has no region link). */
function decoderPasses(d: CxlDecoder, p: Params): boolean {
  if (p.decoder !== undefined && !filterHas(p.decoder, (n) => decoderMatches(d, n))) return false;
  const r: CxlRegion | undefined = d.kind === 'root' ? undefined : d.region;
  return p.region === undefined || (r !== undefined && filterHas(p.region, (n) => regionMatches(r, n)));
}

/** splice_array, then util_display_json_array: an empty list warns (on stderr, first) and still prints. */
function display(top: TopLevel, human: boolean): string {
  const filled = (Object.entries(top) as [string, JsonValue[]][]).filter(([, v]) => v.length);
  const list: JsonValue[] = filled.length > 1 ? filled.map(([k, v]) => ({ [k]: v })) : (filled[0]?.[1] ?? []);
  // --human: one object alone, and nothing at all for none
  if (human && list.length <= 1) return list.length ? jsonC(list[0]!) : '';
  return (list.length ? '' : '  Warning: no matching devices found\n\n') + jsonC(list);
}

export function cxlList(k: Kernel, args: string[]): string | undefined {
  const p = params(args);
  if (!p || !k.cxl) return undefined;
  // no memdev under the bus for a memdev filter: the bus and everything below it is skipped
  const w = new Walk(k.cxl, p);
  if (k.cxl.memdevs.some((m) => memdevPasses(m, p.memdev))) w.root();
  return display(w.top, p.human);
}
