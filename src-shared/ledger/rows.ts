// What a viewer of a timeline entry shows (the app's Real vs model view, the
// HTML report): the aligned /proc/iomem rows, the rule behind each model line,
// the fidelity, and why nothing is compared when so. Under a what-if kernel
// the guest's snapshot is compared with that model instead.
import type { Explanation, ModelView, TimelineEntry } from '../api/contract';
import { compareSnapshots, type Comparison, type IomemDiffRow, type StepFidelity } from '../compare';

export interface EntryRows {
  rows: IomemDiffRow[];
  explanations: Explanation[];
  fidelity: StepFidelity | null;
  /** every dimension's rows, when compared */
  comparison?: Comparison;
  /** why nothing is compared, when so */
  note?: string;
}

const linesOf = (text: string, side: 'real' | 'model'): IomemDiffRow[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((t) => ({ side, text: t }));

export function entryRows(entry: TimelineEntry | null, whatIf: ModelView | null = null): EntryRows {
  if (!entry) return { rows: [], explanations: [], fidelity: null };
  const real = entry.real?.snapshot;
  const view = whatIf ?? entry.view;
  if (whatIf && real) {
    const c = compareSnapshots(real, whatIf.snapshot);
    return {
      rows: c.iomem,
      explanations: whatIf.explanations,
      fidelity: c.fidelity,
      comparison: c,
      note: `model under ${whatIf.rules} rules (what-if)`,
    };
  }
  if (entry.comparison)
    return {
      rows: entry.comparison.iomem,
      explanations: entry.view?.explanations ?? [],
      fidelity: entry.comparison.fidelity,
      comparison: entry.comparison,
    };
  if (entry.model?.outOfSync)
    return {
      rows: real ? linesOf(real.iomem, 'real') : [],
      explanations: [],
      fidelity: null,
      note: `model out of sync: ${entry.model.outOfSync}`,
    };
  if (view) {
    const note = entry.model?.modelOnly
      ? 'model-only step: the guest cannot show this, so nothing is compared'
      : undefined;
    return {
      rows: linesOf(view.snapshot.iomem, 'model'),
      explanations: view.explanations,
      fidelity: null,
      ...(note ? { note } : {}),
    };
  }
  return { rows: real ? linesOf(real.iomem, 'real') : [], explanations: [], fidelity: null };
}
