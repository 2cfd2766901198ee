// The Real vs model view's per-dimension summary (design.md "Fidelity by
// dimension"): one chip per dimension with its fidelity, and the rows of the
// dimensions the resource tree does not show (it shows /proc/iomem).
import { DIMENSIONS, type Comparison, type Dimension } from '../../../src-shared/compare';
import { diffLines, type DiffLine } from '../../../src-shared/report/text';

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
