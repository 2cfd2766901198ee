// What a fuzz run reads from the ledger's timeline: per step, whether model
// and guest agree, and where not, in which dimensions. A divergence's
// signature (dimension + step kind) is what a minimized scenario must keep.
import type { TimelineEntry } from '../api/contract';
import { DIMENSIONS, type Dimension } from '../compare';
import { stepKind } from './step-gen';

/** a dimension of the comparison, or the model stopping (a step it cannot follow, a rule that threw) */
export type DivergenceClass = Dimension | 'out-of-sync';

export interface Divergence {
  /** timeline entry: 0 = the boot, n = the n-th step */
  n: number;
  kind: string;
  classes: DivergenceClass[];
  /** why the model went out of sync */
  reason?: string;
}

/** `class@kind`: the first class is the one a minimized scenario must reproduce. */
export const signature = (d: Divergence): string => `${d.classes[0]}@${d.kind}`;

/** Where an entry differs: each dimension short of full fidelity; "out-of-sync" where the model stopped. */
export function divergenceClasses(e: TimelineEntry, stoppedBefore: boolean): DivergenceClass[] {
  if (e.model?.outOfSync) return stoppedBefore ? [] : ['out-of-sync'];
  const by = e.comparison?.fidelity.byDimension;
  return by ? DIMENSIONS.filter((d) => by[d].matched !== by[d].total) : [];
}

export interface Verdict {
  divergences: Divergence[];
  /** steps (not the boot) run on the guest */
  steps: number;
  /** steps compared with full agreement */
  agreeing: number;
  /** steps after the model went out of sync: not compared */
  uncompared: number;
}

/** Every divergence in a timeline, and how many of its steps agree. */
export function judge(entries: readonly TimelineEntry[]): Verdict {
  const v: Verdict = { divergences: [], steps: 0, agreeing: 0, uncompared: 0 };
  let stopped = false;
  for (const e of entries) {
    const classes = divergenceClasses(e, stopped);
    if (e.step) {
      v.steps++;
      if (stopped) v.uncompared++;
      else if (!classes.length && e.comparison) v.agreeing++;
    }
    if (classes.length) {
      const reason = e.model?.outOfSync;
      v.divergences.push({ n: e.n, kind: stepKind(e.step), classes, ...(reason ? { reason } : {}) });
    }
    stopped ||= !!e.model?.outOfSync;
  }
  return v;
}
