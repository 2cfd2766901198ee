// The what-if: a session's steps replayed on the model under another kernel's
// rules, entry by entry, so each timeline entry can show what that kernel would
// have answered (exit status, output, /proc/iomem) beside the guest, and the
// first entry where it parts from the rules the model followed is found.
import type { TimelineEntry, WhatIf, WhatIfEntry } from '../api/contract';
import type { KernelRules } from '../model';
import type { Profile } from '../profile/schema';
import { applyStep, startModel } from '../scenario/apply';
import { modelView } from './view';

export function replayWhatIf(profile: Profile, entries: readonly TimelineEntry[], rules: KernelRules): WhatIf {
  const start = startModel(profile, { kernel: rules });
  if (!start.ok) throw new Error(start.outOfSync);
  const model = start.model;
  const out: WhatIfEntry[] = [];
  for (const e of entries) {
    // where the model stopped following the guest, the what-if stops too
    if (e.model?.outOfSync) break;
    if (!e.step) {
      out.push({ n: e.n, model: {}, view: modelView(model, rules) });
      continue;
    }
    const r = applyStep(model, e.step);
    if (!r.ok) {
      out.push({ n: e.n, model: { outOfSync: r.outOfSync } });
      break;
    }
    const { output, exitCode, explanations } = r.result;
    out.push({ n: e.n, model: { output, exitCode, explanations }, view: modelView(model, rules) });
  }
  return { rules, entries: out, firstDifference: firstDifference(entries, out) };
}

/** The first entry whose what-if answer or /proc/iomem differs from what the followed rules said. */
function firstDifference(entries: readonly TimelineEntry[], replay: readonly WhatIfEntry[]): number | undefined {
  for (const w of replay) {
    const e = entries.find((x) => x.n === w.n);
    if (!e) continue;
    if (w.model.outOfSync) return w.n;
    if (e.model?.exitCode !== w.model.exitCode || (e.model?.output ?? '') !== (w.model.output ?? '')) return w.n;
    if (e.view?.snapshot.iomem !== w.view?.snapshot.iomem) return w.n;
  }
  return undefined;
}
