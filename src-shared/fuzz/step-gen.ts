// Random step sequences for a profile, weighted toward meaningful ones: the
// model is run alongside so each step can act on what exists by then (a
// region with space, a namespace, a dax device, an offline block, a free
// slot). The model only steers the choice; the real guest still judges.
import { parseConsoleLine, parseQmpCommand } from '../actions';
import type { Profile } from '../profile/schema';
import { nvdimmBackendSize } from '../profile/schema';
import { applyStep, startModel } from '../scenario/apply';
import type { Step } from '../scenario/schema';
import { emptySnapshot } from '../snapshot/types';
import type { Rng } from './prng';
import { menu, type GenState } from './step-menu';

/** `count` steps for `profile`, drawn from `rng`. */
export function generateSteps(rng: Rng, profile: Profile, count: number): Step[] {
  const start = startModel(profile);
  let model = start.ok ? start.model : undefined;
  const { size, slots = 0, maxmem = size } = profile.memory;
  const s: GenState = {
    snap: model?.snapshot() ?? emptySnapshot(),
    nvdimms: profile.nvdimms.length,
    dimms: [],
    freeSlots: slots - profile.nvdimms.length,
    headroom:
      maxmem -
      size -
      profile.nvdimms.reduce((sum, d) => sum + nvdimmBackendSize(d), 0) -
      profile.virtioMem.reduce((sum, d) => sum + d.size, 0),
    nextId: 1,
  };
  const steps: Step[] = [];
  while (steps.length < count) {
    const drawn = rng
      .weighted(menu(s))(rng, s)
      .slice(0, count - steps.length);
    for (const step of drawn) {
      steps.push(step);
      const r = model ? applyStep(model, step) : undefined;
      // a step the model cannot follow: draw on from the last state it knew
      if (!r?.ok) model = undefined;
      track(s, step, r?.ok ? r.result.exitCode === 0 : true);
    }
    if (model) s.snap = model.snapshot();
  }
  return steps;
}

/** The QMP objects a step adds or removes, as far as the model says it succeeded. */
function track(s: GenState, step: Step, succeeded: boolean): void {
  if (!('qmp' in step) || !succeeded) return;
  const a = step.qmp.arguments ?? {};
  if (step.qmp.execute === 'object-add') s.headroom -= Number(a.size);
  if (step.qmp.execute === 'device_add') {
    s.dimms.push(String(a.id));
    s.freeSlots--;
  }
  if (step.qmp.execute === 'device_del') {
    s.dimms = s.dimms.filter((d) => d !== a.id);
    s.freeSlots++;
  }
}

/** What kind of step this is, for grouping divergences: the action's kind, or the command read. */
export function stepKind(step: Step | null): string {
  if (!step) return 'boot';
  if ('model' in step) return 'model-only';
  const p = 'run' in step ? parseConsoleLine(step.run) : parseQmpCommand(step.qmp);
  if (p.kind === 'action' && p.action.kind !== 'read-only') return p.action.kind;
  if ('qmp' in step) return `qmp ${step.qmp.execute}`;
  const tool = step.run.trim().split(/\s+/)[0]!;
  if (p.kind !== 'action') return `outside ${tool}`;
  return /^(ndctl|daxctl|cxl)$/.test(tool) ? `${tool} list` : `read ${tool}`;
}
