// One entry compared on every dimension (design.md "Fidelity by dimension"):
// each dimension counted as { matched, total } over its keyed items (a pair
// that differs is two items, one per side), and the entry's fidelity the sum.
import type { Snapshot } from '../snapshot/types';
import { isModelledMessage } from '../model/kernel/printk';
import {
  diffBlocks,
  diffIomem,
  isOutsideMetric,
  type BlockDiffRow,
  type Fidelity,
  type IomemDiffRow,
} from './fidelity';
import { diffBuses, diffNodes, type BusDiffRow, type NodeBase, type NodeDiffRow } from './devices';
import { diffItems, exitItem, outputItems, type ItemDiffRow } from './items';

export const DIMENSIONS = ['iomem', 'blocks', 'exit', 'output', 'buses', 'nodes', 'log'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface StepFidelity extends Fidelity {
  byDimension: Record<Dimension, Fidelity>;
}

export interface Comparison {
  fidelity: StepFidelity;
  iomem: IomemDiffRow[];
  blocks: BlockDiffRow[];
  exit: ItemDiffRow[];
  output: ItemDiffRow[];
  buses: BusDiffRow[];
  nodes: NodeDiffRow[];
  log: ItemDiffRow[];
}

/** What a side answered to a step. */
export interface Answer {
  output?: string;
  exitCode?: number;
}

export interface Sides {
  real: Snapshot;
  model: Snapshot;
  /** the step's answers (none after boot, between steps or for a what-if model); qmp: a QMP command's */
  step?: { qmp: boolean; real: Answer; model: Answer };
  /** the messages the model predicts for this entry (none: the log is not compared) */
  modelLog?: readonly string[];
  /** both sides right after boot: MemTotal is then compared as its change since boot */
  boot?: NodeBase;
}

/**
 * A row counts once when both sides hold it; a row on one side counts once,
 * and twice when the other side holds the same key with other values.
 */
function tally(rows: readonly { side: string; counted?: false; real?: unknown; model?: unknown }[]): Fidelity {
  const f: Fidelity = { matched: 0, total: 0 };
  for (const r of rows) {
    if (r.counted === false) continue;
    if (r.side === 'both') f.matched++;
    f.total += r.side !== 'both' && r.real !== undefined && r.model !== undefined ? 2 : 1;
  }
  return f;
}

export function compare(s: Sides): Comparison {
  const exit = s.step
    ? diffItems(listOf(exitItem(s.step.real, s.step.qmp)), listOf(exitItem(s.step.model, s.step.qmp)))
    : [];
  // A printed /proc/iomem line no profile predicts (the adapter ROM) is shown, not counted, as in the iomem dimension.
  const output = s.step
    ? diffItems(itemsOf(s.step.real.output), itemsOf(s.step.model.output), (t) => !isOutsideMetric(t))
    : [];
  // The real log: messages since the previous snapshot; those no modelled rule prints are shown, not counted.
  const log = s.modelLog ? diffItems(s.real.log, s.modelLog, isModelledMessage) : [];
  const c = {
    iomem: diffIomem(s.real.iomem, s.model.iomem),
    blocks: diffBlocks(s.real.memoryBlocks, s.model.memoryBlocks),
    exit,
    output,
    buses: diffBuses(s.real, s.model),
    nodes: diffNodes(s.real, s.model, s.boot),
    log,
  };
  const byDimension = Object.fromEntries(DIMENSIONS.map((d) => [d, tally(c[d])])) as Record<Dimension, Fidelity>;
  let matched = 0;
  let total = 0;
  for (const d of DIMENSIONS) {
    matched += byDimension[d].matched;
    total += byDimension[d].total;
  }
  return { fidelity: { matched, total, byDimension }, ...c };
}

const listOf = (item: string | undefined): string[] | undefined => (item === undefined ? undefined : [item]);
const itemsOf = (output: string | undefined): string[] | undefined =>
  output === undefined ? undefined : outputItems(output);

/** Two snapshots alone (a what-if model, a benchmark): the snapshot's dimensions. */
export const compareSnapshots = (real: Snapshot, model: Snapshot): Comparison => compare({ real, model });

/** Each dimension's rows where the sides differ, with those shown but not counted. */
export function differences(c: Comparison): Pick<Comparison, Dimension> {
  const d = {} as Record<Dimension, { side: string }[]>;
  for (const k of DIMENSIONS) d[k] = (c[k] as { side: string }[]).filter((r) => r.side !== 'both');
  return d as Pick<Comparison, Dimension>;
}

/** Fidelity added up over entries, dimension by dimension. */
export function addFidelity(sum: StepFidelity, f: StepFidelity): void {
  sum.matched += f.matched;
  sum.total += f.total;
  for (const d of DIMENSIONS) {
    sum.byDimension[d].matched += f.byDimension[d].matched;
    sum.byDimension[d].total += f.byDimension[d].total;
  }
}

export const noFidelity = (): StepFidelity => ({
  matched: 0,
  total: 0,
  byDimension: Object.fromEntries(DIMENSIONS.map((d) => [d, { matched: 0, total: 0 }])) as Record<Dimension, Fidelity>,
});
