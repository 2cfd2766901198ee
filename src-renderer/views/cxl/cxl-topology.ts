// The CXL bus as a tree a CXL developer reads top-down: root0's windows (root
// decoders) with the regions in them, then the host bridge's port with its
// switch decoder and root ports, each root port's memdev and its endpoint
// decoder. Both sides are laid out alike and merged by each node's path, so a
// node the two sides place differently shows as two one-sided rows, and a node
// both have but describe differently names the fields that differ.
import type { TimelineEntry } from '../../../src-shared/api/contract';
import type { CxlBusInfo, CxlDecoderInfo, Snapshot } from '../../../src-shared/snapshot/types';
import { formatSize, hex } from '../../../src-shared/units';

export type TopologyKind =
  'root' | 'window' | 'region' | 'host-bridge' | 'switch' | 'root-port' | 'memdev' | 'endpoint';

/** One fact of a node: a label (its sysfs attribute, in words) and the value shown. */
export interface Field {
  label: string;
  value: string;
}

export interface TopologyRow {
  /** the node's path from root0, which the two sides are matched by */
  key: string;
  depth: number;
  kind: TopologyKind;
  name: string;
  /** the node's fields on each side; absent on a side that has no such node */
  real?: Field[];
  model?: Field[];
  side: 'both' | 'differs' | 'real' | 'model';
  /** the labels of the fields whose values differ, when both sides have the node */
  differing: string[];
}

interface SideRow {
  key: string;
  depth: number;
  kind: TopologyKind;
  name: string;
  fields: Field[];
}

const f = (label: string, value: string): Field => ({ label, value });
const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const range = (start: number, size: number) => `${hex(start)}–${hex(start + size - 1)}`;
/** A decoder's host physical range; 0 and 0 until a region commits it. */
const hpa = (d: CxlDecoderInfo): Field[] =>
  d.size > 0 ? [f('range', range(d.start, d.size)), f('size', formatSize(d.size))] : [f('range', 'no range')];
const interleave = (ways: number, granularity: number): Field[] => [
  f('interleave ways', `${ways} way${ways === 1 ? '' : 's'}`),
  f('interleave granularity', `granularity ${granularity}`),
];
const regionOf = (name: string | undefined): Field => f('region', name ? name : 'no region');

/** What a window has left: its size less the regions created on it (a region without a size yet takes none). */
export function windowFree(bus: CxlBusInfo, root: CxlDecoderInfo): number {
  const used = bus.regions.filter((r) => r.decoder === root.name).reduce((sum, r) => sum + Math.max(0, r.size), 0);
  return Math.max(0, root.size - used);
}

/** One side's tree, in display order. */
function sideRows(s: Snapshot): SideRow[] {
  const bus = s.cxl;
  if (!bus) return [];
  const rows: SideRow[] = [{ key: 'root0', depth: 0, kind: 'root', name: 'root0', fields: [] }];
  const add = (parent: string, depth: number, kind: TopologyKind, name: string, fields: Field[]): string => {
    const key = `${parent}/${name}`;
    rows.push({ key, depth, kind, name, fields });
    return key;
  };
  const nd = new Set(s.nd.regions.map((r) => r.name));

  for (const w of bus.decoders.filter((d) => d.kind === 'root')) {
    const regions = bus.regions.filter((r) => r.decoder === w.name);
    const key = add('root0', 1, 'window', w.name, [
      ...hpa(w),
      ...interleave(w.interleaveWays, w.interleaveGranularity),
      f('target list', `targets ${w.targetList ?? ''}`),
      f('free', `${formatSize(windowFree(bus, w))} free`),
      f('create_pmem_region', `next ${w.nextRegion ?? '?'}`),
    ]);
    for (const r of regions)
      add(key, 2, 'region', r.name, [
        ...(r.size > 0 && r.resource >= 0
          ? [f('range', range(r.resource, r.size)), f('size', formatSize(r.size))]
          : [f('range', 'no range')]),
        ...interleave(r.interleaveWays, r.interleaveGranularity),
        f('commit', r.commit ? 'committed' : 'not committed'),
        f('driver', r.enabled ? 'enabled' : 'disabled'),
        f('targets', `targets ${r.targets.join(',') || 'none'}`),
        f('nd region', nd.has(r.name) ? `nd ${r.name}` : 'no nd region'),
      ]);
  }

  const bridges = [...new Set(bus.decoders.filter((d) => d.kind === 'switch').map((d) => d.port))].sort(natural);
  for (const b of bridges) {
    const key = add('root0', 1, 'host-bridge', b, []);
    for (const d of bus.decoders.filter((x) => x.kind === 'switch' && x.port === b))
      add(key, 2, 'switch', d.name, [
        ...hpa(d),
        ...interleave(d.interleaveWays, d.interleaveGranularity),
        f('target list', `targets ${d.targetList ?? ''}`),
        regionOf(d.region),
      ]);
  }
  // QEMU's topology has one host bridge: every root port is its downstream port
  const bridge = bridges[0] ? `root0/${bridges[0]}` : 'root0';
  const depth = bridges[0] ? 2 : 1;
  for (const port of [...new Set(bus.memdevs.map((m) => m.rootPort))].sort(natural)) {
    const portKey = add(bridge, depth, 'root-port', port, []);
    for (const m of bus.memdevs.filter((x) => x.rootPort === port).sort((a, b) => natural(a.name, b.name))) {
      const memKey = add(portKey, depth + 1, 'memdev', m.name, [
        f('endpoint', m.endpoint),
        f('pci', m.pci),
        f('pmem size', `pmem ${formatSize(m.pmemSize)}`),
        f('label storage size', `labels ${formatSize(m.labelStorageSize)}`),
      ]);
      for (const d of bus.decoders.filter((x) => x.kind === 'endpoint' && x.port === m.endpoint))
        add(memKey, depth + 2, 'endpoint', d.name, [
          f('mode', d.mode ?? 'none'),
          f(
            'dpa',
            d.dpaResource !== undefined && d.dpaResource >= 0 && d.dpaSize
              ? `DPA ${range(d.dpaResource, d.dpaSize)}`
              : 'no DPA',
          ),
          ...hpa(d),
          regionOf(d.region),
        ]);
    }
  }
  return rows;
}

/**
 * The model's rows go in after the row that precedes them on the model's side, past that row's children and
 * past siblings only the guest has (so one side's nodes are not split by the other's).
 */
function merge(real: SideRow[], model: SideRow[]): SideRow[] {
  const out = [...real];
  const inModel = new Set(model.map((m) => m.key));
  let after = -1;
  for (const m of model) {
    const found = out.findIndex((r) => r.key === m.key);
    if (found >= 0) {
      after = found;
      continue;
    }
    let at = after + 1;
    while (at < out.length && (out[at]!.depth > m.depth || (out[at]!.depth === m.depth && !inModel.has(out[at]!.key))))
      at++;
    out.splice(at, 0, m);
    after = at;
  }
  return out;
}

function differing(real: Field[], model: Field[]): string[] {
  const labels = [...new Set([...real, ...model].map((x) => x.label))];
  const value = (fields: Field[], label: string) => fields.find((x) => x.label === label)?.value;
  return labels.filter((l) => value(real, l) !== value(model, l));
}

/** The guest's and the model's CXL bus side by side; empty when neither side has one. */
export function cxlTopology(real: Snapshot | null | undefined, model: Snapshot | null | undefined): TopologyRow[] {
  const r = real ? sideRows(real) : [];
  const m = model ? sideRows(model) : [];
  const realBy = new Map(r.map((x) => [x.key, x]));
  const modelBy = new Map(m.map((x) => [x.key, x]));
  return merge(r, m).map(({ key, depth, kind, name }) => {
    const a = realBy.get(key)?.fields;
    const b = modelBy.get(key)?.fields;
    const diff = a && b ? differing(a, b) : [];
    return {
      key,
      depth,
      kind,
      name,
      ...(a ? { real: a } : {}),
      ...(b ? { model: b } : {}),
      side: a && b ? (diff.length ? 'differs' : 'both') : a ? 'real' : 'model',
      differing: diff,
    };
  });
}

/** The guest has a CXL bus: its boot snapshot (or the model's) shows one. */
export function hasCxlBus(timeline: readonly TimelineEntry[]): boolean {
  const boot = timeline[0];
  return !!(boot?.real?.snapshot?.cxl ?? boot?.view?.snapshot?.cxl);
}
