// The differences of a comparison as lines of text, dimension by dimension,
// for every viewer (the terminal of `pmem-lab run`, the HTML report, the
// app's Real vs model view): a row holding both sides' values is one line per
// side, so each side reads as the guest or the model printed it.
import { DIMENSIONS, type Comparison, type Dimension, type Side, type StepFidelity } from '../compare';
import type { DeviceFields, NodeDiffRow } from '../compare/devices';
import type { MemoryBlockInfo } from '../snapshot/types';

export interface DiffLine {
  dimension: Dimension;
  side: Exclude<Side, 'both'>;
  text: string;
  /** false: shown, outside the metric */
  counted: boolean;
}

/** "36/38 (iomem 30/30, blocks 2/2, exit 0/2, ...)": the dimensions that counted something. */
export function fidelityLine(f: StepFidelity): string {
  const dims = DIMENSIONS.filter((d) => f.byDimension[d].total > 0).map(
    (d) => `${d} ${f.byDimension[d].matched}/${f.byDimension[d].total}`,
  );
  return `${f.matched}/${f.total}${dims.length ? ` (${dims.join(', ')})` : ''}`;
}

const blockText = (b: MemoryBlockInfo) => `memory${b.id} ${b.state} node${b.node} [${b.zones}]`;
const fieldsText = (f: DeviceFields) =>
  Object.entries(f)
    .map(([k, v]) => `${k}=${v === '' ? '-' : v}`)
    .join(' ');

/** 1-3,7 for [1,2,3,7] */
function ranges(ids: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    out.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j;
  }
  return out.join(',') || 'none';
}
const added = (kib: number | undefined) => (kib === undefined ? '' : ` (${kib >= 0 ? '+' : ''}${kib} kB since boot)`);
const nodeText = (id: number, n: NonNullable<NodeDiffRow['real']>) =>
  `node${id} MemTotal=${n.memTotalKiB} kB${added(n.memAddedKiB)} blocks=${ranges(n.blocks)}`;

/** A row with a value per side: a line for each side that holds one. */
function paired<T>(dimension: Dimension, real: T | undefined, model: T | undefined, text: (x: T) => string) {
  return [
    ...(real !== undefined ? [{ dimension, side: 'real' as const, text: text(real), counted: true }] : []),
    ...(model !== undefined ? [{ dimension, side: 'model' as const, text: text(model), counted: true }] : []),
  ];
}

const differ = (r: { side: Side }) => r.side !== 'both';
const items = (dimension: Dimension, rows: { side: Side; text: string; counted?: false }[]): DiffLine[] =>
  rows.filter(differ).map((r) => ({
    dimension,
    side: r.side as DiffLine['side'],
    text: r.text,
    counted: r.counted !== false,
  }));

/** A holder the probe race named otherwise: shown under the model's own name, not counted (compare/probe-race.ts). */
const raced = (name: string, own: string, real: unknown): DiffLine => ({
  dimension: 'buses',
  side: 'model',
  text: `${name} holder=${own} (the guest's probe race named it ${String(real)}: nd_region_probe)`,
  counted: false,
});

/** Every row where the sides differ, or that is shown without being counted, dimension by dimension. */
export function diffLines(c: Comparison): DiffLine[] {
  return [
    ...items('iomem', c.iomem),
    ...c.blocks.filter(differ).flatMap((r) => paired('blocks', r.real, r.model, blockText)),
    ...items('exit', c.exit),
    ...items('output', c.output),
    ...c.buses.filter(differ).flatMap((r) => paired('buses', r.real, r.model, (f) => `${r.name} ${fieldsText(f)}`)),
    ...c.buses.flatMap((r) => (r.modelHolder ? [raced(r.name, r.modelHolder, r.real?.holder)] : [])),
    ...c.nodes.filter(differ).flatMap((r) => paired('nodes', r.real, r.model, (n) => nodeText(r.id, n))),
    ...items('log', c.log),
  ];
}

/** The lines as the terminal prints them: "[output] - real  ...", "+ model", "(not counted)". */
export function differenceLines(c: Comparison): string[] {
  return diffLines(c).map(
    (l) =>
      `[${l.dimension}] ${l.side === 'real' ? '-' : '+'} ${l.side.padEnd(5)} ${l.text}` +
      (l.counted ? '' : '  (not counted)'),
  );
}
