// The model side of `pmem-lab run`: every step applied to the model from the
// profile alone, compared with the real snapshot of the same step.
import type { KernelRules } from '../../src-shared/model';
import { applyStep, startModel } from '../../src-shared/scenario/apply';
import { compareSnapshots, type Fidelity } from '../../src-shared/compare';
import type { Profile } from '../../src-shared/profile/schema';
import type { Scenario } from '../../src-shared/scenario/schema';
import type { Snapshot } from '../../src-shared/snapshot/types';
import type { StepReport } from './runner';
import type { Explanation } from '../../src-shared/api/contract';
import { formatIomemLine } from '../../src-shared/snapshot/iomem';

export interface ComparedStep extends StepReport {
  model?: Snapshot;
  modelOutput?: string;
  modelExitCode?: number;
  outOfSync?: string;
  /** a model-only step: from here on the model shows what the guest cannot, so nothing more is compared */
  modelOnly?: boolean;
  /** the rule behind each model line (only when asked for, e.g. for --report) */
  explanations?: Explanation[];
  diff?: { iomem: { side: string; text: string }[]; blocks: { side: string; id: number; real?: unknown; model?: unknown }[] };
  fidelity?: Fidelity;
}

export function compareRun(scenario: Scenario, profile: Profile, real: StepReport[], rules: KernelRules = '6.1', opts: { explain?: boolean } = {}): { steps: ComparedStep[]; fidelity: Fidelity; agree: boolean } {
  const start = startModel(profile, { kernel: rules });
  const steps: ComparedStep[] = [];
  const total: Fidelity = { matched: 0, total: 0 };
  if (!start.ok) return { steps: real.map((r) => ({ ...r, outOfSync: start.outOfSync })), fidelity: total, agree: false };
  const model = start.model;
  let agree = true;
  let synced = true;
  let comparing = true;
  for (const [i, r] of real.entries()) {
    const out: ComparedStep = { ...r };
    const step = i === 0 ? undefined : scenario.steps[i - 1];
    if (step && 'model' in step) {
      comparing = false;
      out.modelOnly = true;
    }
    if (step && synced) {
      const m = applyStep(model, step);
      if (!m.ok) {
        synced = false;
        out.outOfSync = m.outOfSync;
      } else {
        out.modelOutput = m.result.output;
        out.modelExitCode = m.result.exitCode;
      }
    }
    if (!comparing) {
      if (synced) out.model = model.snapshot();
    } else if (synced && r.real) {
      out.model = model.snapshot();
      const c = compareSnapshots(r.real, out.model);
      out.fidelity = c.fidelity;
      out.diff = {
        iomem: c.iomem.filter((x) => x.side !== 'both').map((x) => ({ side: x.side, text: x.text })),
        blocks: c.blocks.filter((x) => x.side !== 'both').map((x) => ({ side: x.side, id: x.id, ...(x.real ? { real: x.real } : {}), ...(x.model ? { model: x.model } : {}) })),
      };
      total.matched += c.fidelity.matched;
      total.total += c.fidelity.total;
      if (c.fidelity.matched !== c.fidelity.total) agree = false;
    } else agree = false;
    if (opts.explain && out.model) out.explanations = model.explainIomem().map(({ line, why }) => ({ text: formatIomemLine(line), rule: why.rule, source: why.source }));
    steps.push(out);
  }
  return { steps, fidelity: total, agree };
}
