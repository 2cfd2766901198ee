// One scenario step applied to the model: the console line or QMP command is
// read through the action vocabulary; a step outside it leaves the model out
// of sync (the real guest still runs it).
import { parseConsoleLine, parseModelOnlyLine, parseQmpCommand } from '../actions';
import type { KernelModel, StepResult } from '../model';
import type { Step } from './schema';

export type ModelStep = { ok: true; result: StepResult } | { ok: false; outOfSync: string };

export function applyStep(model: KernelModel, step: Step): ModelStep {
  const parsed = 'run' in step ? parseConsoleLine(step.run) : 'qmp' in step ? parseQmpCommand(step.qmp) : parseModelOnlyLine(step.model);
  if (parsed.kind === 'unknown') return { ok: false, outOfSync: parsed.reason };
  return { ok: true, result: model.apply(parsed.action) };
}
