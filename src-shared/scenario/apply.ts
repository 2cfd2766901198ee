// One scenario step applied to the model: the console line or QMP command is
// read through the action vocabulary; a step outside it leaves the model out
// of sync (the real guest still runs it). A rule the model gets wrong (it
// throws) also leaves it out of sync, with the reason: the real side of a run
// never depends on the model.
import { parseConsoleLine, parseModelOnlyLine, parseQmpCommand } from '../actions';
import { createModel, type KernelModel, type KernelRules, type StepResult } from '../model';
import type { Profile } from '../profile/schema';
import type { Step } from './schema';

export type ModelStep = { ok: true; result: StepResult } | { ok: false; outOfSync: string };
export type ModelStart = { ok: true; model: KernelModel } | { ok: false; outOfSync: string };

const failed = (what: string, e: unknown) =>
  `the model could not follow ${what}: ${e instanceof Error ? e.message : String(e)}`;

/** The model of a profile, or why it cannot be built (a topology its rules do not cover yet). */
export function startModel(profile: Profile, opts: { kernel?: KernelRules } = {}): ModelStart {
  try {
    return { ok: true, model: createModel(profile, opts) };
  } catch (e) {
    return { ok: false, outOfSync: failed('this boot', e) };
  }
}

export function applyStep(model: KernelModel, step: Step): ModelStep {
  const parsed =
    'run' in step
      ? parseConsoleLine(step.run)
      : 'qmp' in step
        ? parseQmpCommand(step.qmp)
        : parseModelOnlyLine(step.model);
  if (parsed.kind === 'unknown') return { ok: false, outOfSync: parsed.reason };
  try {
    return { ok: true, result: model.apply(parsed.action) };
  } catch (e) {
    return { ok: false, outOfSync: failed('this step', e) };
  }
}
