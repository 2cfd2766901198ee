// The Real vs model view's per-dimension summary (design.md "Fidelity by
// dimension"): one chip per dimension with its fidelity, and the rows of the
// dimensions the resource tree does not show (it shows /proc/iomem).
import { DIMENSIONS, type Comparison, type Dimension } from '../../../src-shared/compare';
import { diffLines, type DiffLine } from '../../../src-shared/report/text';
import type { TimelineEntry, WhatIfEntry } from '../../../src-shared/api/contract';

export interface DimensionChip {
  dimension: Dimension;
  /** "blocks 16/16", or "exit –" when nothing was counted */
  text: string;
  state: 'ok' | 'error' | 'none';
  /** rows shown without being counted */
  uncounted: number;
}

export function dimensionChips(c: Comparison): DimensionChip[] {
  const lines = diffLines(c);
  return DIMENSIONS.map((dimension) => {
    const { matched, total } = c.fidelity.byDimension[dimension];
    const uncounted = lines.filter((l) => l.dimension === dimension && !l.counted).length;
    return {
      dimension,
      text: total ? `${dimension} ${matched}/${total}` : `${dimension} –`,
      state: total === 0 ? 'none' : matched === total ? 'ok' : 'error',
      uncounted,
    };
  });
}

/** The differing (and uncounted) rows of every dimension but /proc/iomem. */
export const otherDifferences = (c: Comparison): DiffLine[] => diffLines(c).filter((l) => l.dimension !== 'iomem');

export interface StepAnswers {
  exits: { who: string; exit: number; differs: boolean }[];
  outputs: { who: string; text: string }[];
  /** the two sides answered differently (exit status or output): the outputs are shown open */
  differ: boolean;
}

/**
 * What the guest and the model answered to a step, side by side; under a what-if, the model's answer is that
 * kernel's. A difference in exit status or output is what a reader must not miss.
 */
export function stepAnswers(
  e: TimelineEntry | null,
  whatIf: { rules: string; entry?: WhatIfEntry } | null,
): StepAnswers {
  if (!e?.step) return { exits: [], outputs: [], differ: false };
  const model = whatIf ? whatIf.entry?.model : e.model;
  const who = whatIf ? `model (${whatIf.rules} rules)` : 'model';
  const real = e.real?.exitCode;
  const predicted = model?.exitCode;
  const exitsDiffer = real !== undefined && predicted !== undefined && real !== predicted;
  const exits = [
    ...(real !== undefined ? [{ who: 'guest', exit: real, differs: exitsDiffer }] : []),
    ...(predicted !== undefined ? [{ who, exit: predicted, differs: exitsDiffer }] : []),
  ];
  const out = e.comparison?.fidelity.byDimension.output;
  const outputsDiffer = whatIf
    ? e.source !== 'console' && (e.real?.output ?? '').trim() !== (model?.output ?? '').trim()
    : !!out && out.matched !== out.total;
  return {
    exits,
    outputs: [
      { who: 'guest', text: e.real?.output ?? '' },
      { who, text: model?.output ?? (model?.outOfSync ? `(out of sync: ${model.outOfSync})` : '') },
    ],
    differ: exitsDiffer || outputsDiffer,
  };
}
