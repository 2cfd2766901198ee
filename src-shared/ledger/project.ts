// Timeline entries in the command line's contracts (README "The command line"):
// a step of `pmem-lab run --json` and of `pmem-lab model --json`, and what a
// whole run adds up to, dimension by dimension. Projections only: every fact
// comes from the entry.
import type { TimelineEntry } from '../api/contract';
import { addFidelity, differences, noFidelity, type StepFidelity } from '../compare';

/** One step of `run --json`: the guest's side, the model's, and the differences. */
export function runJsonStep(e: TimelineEntry, opts: { explain?: boolean } = {}): Record<string, unknown> {
  const { real, model, view, comparison: c } = e;
  return {
    step: e.step,
    ...(real?.output !== undefined ? { output: real.output } : {}),
    ...(real?.exitCode !== undefined ? { exitCode: real.exitCode } : {}),
    ...(real?.snapshot ? { real: real.snapshot } : {}),
    ...(real?.error ? { error: real.error } : {}),
    // here: this step did not run on the guest (the entry's modelOnly also covers the steps after it)
    ...(e.step && 'model' in e.step ? { modelOnly: true } : {}),
    ...(model?.outOfSync ? { outOfSync: model.outOfSync } : {}),
    ...(model?.output !== undefined ? { modelOutput: model.output } : {}),
    ...(model?.exitCode !== undefined ? { modelExitCode: model.exitCode } : {}),
    ...(view ? { model: view.snapshot } : {}),
    ...(c ? { fidelity: c.fidelity, diff: differences(c) } : {}),
    ...(opts.explain && view ? { explanations: view.explanations } : {}),
  };
}

/** One step of `model --json`: what the model's tools printed and returned, the rules behind it, and its snapshot. */
export function modelJsonStep(e: TimelineEntry): Record<string, unknown> {
  if (e.model?.outOfSync) return { step: e.step, outOfSync: e.model.outOfSync };
  return {
    step: e.step,
    ...(e.model ? { output: e.model.output, exitCode: e.model.exitCode, explanations: e.model.explanations } : {}),
    ...(e.view ? { model: e.view.snapshot } : {}),
  };
}

/**
 * A run agrees when every step was compared in full, or shows what the guest
 * cannot (model-only); a step the model could not follow, or a guest snapshot
 * missing, is a disagreement, and so is a difference in any dimension.
 * Fidelity adds up over the compared steps.
 */
export function summarize(entries: readonly TimelineEntry[]): { fidelity: StepFidelity; agree: boolean } {
  const fidelity = noFidelity();
  let agree = true;
  for (const e of entries) {
    if (e.comparison) {
      addFidelity(fidelity, e.comparison.fidelity);
      if (e.comparison.fidelity.matched !== e.comparison.fidelity.total) agree = false;
    } else if (!(e.view && e.model?.modelOnly)) agree = false;
  }
  return { fidelity, agree };
}

/** What `run --json` starts with: the scenario and what it ran on (`boot`: restored from a checkpoint, or cold). */
export interface RunHead {
  scenario: string;
  kernel?: string;
  qemu?: string;
  accel?: string;
  boot?: unknown;
}

/**
 * The whole of `run --json` (and of each `matrix` cell's result): the head,
 * the guest's timings, what the model does not model, every step, the sums;
 * with `error` where the guest failed, after the steps it answered.
 */
export function runJson(
  head: RunHead,
  entries: readonly TimelineEntry[],
  opts: { timings?: Record<string, number>; explain?: boolean; error?: string } = {},
): Record<string, unknown> {
  const notModelled = entries[0]?.view?.notModelled;
  return {
    ...head,
    ...(opts.timings ? { timings: opts.timings } : {}),
    ...(notModelled ? { notModelled } : {}),
    steps: entries.map((e) => runJsonStep(e, { explain: !!opts.explain })),
    fidelity: summarize(entries).fidelity,
    ...(opts.error !== undefined ? { error: opts.error } : {}),
  };
}
