// The one path from a step to a timeline entry, whichever door the step came
// in by (a scenario through `pmem-lab run`, the action panel, a line typed in
// the console, the model alone): the step is applied to the model, the model
// follows or says why it cannot (out of sync), shows what the guest cannot
// (model-only), and its view is compared with the guest's snapshot. Pure: the
// caller brings the real side, as it ran the step on a guest (or none).
import type { TimelineEntry, WhatIf } from '../api/contract';
import { compare, type NodeBase, type Sides } from '../compare';
import { DEFAULT_KERNEL_RULES, type KernelModel, type KernelRules } from '../model';
import type { Profile } from '../profile/schema';
import { applyStep, startModel } from '../scenario/apply';
import { describeStep, type Step } from '../scenario/schema';
import { modelView } from './view';
import { replayWhatIf } from './what-if';

export type RealSide = NonNullable<TimelineEntry['real']>;
export type Source = TimelineEntry['source'];

/** What a step is shown as: the console line, the QMP command, or the model-only line. */
export function sentText(step: Step): string {
  return 'run' in step ? step.run : 'qmp' in step ? JSON.stringify(step.qmp) : `model-only: ${step.model}`;
}

/** The model follows the guest, or has stopped and says why. */
type Following = { model: KernelModel } | { why: string };

export class StepLedger {
  readonly entries: TimelineEntry[] = [];
  private state: Following;
  /** from a model-only step on, the model shows what the guest cannot: nothing more is compared */
  private modelOnly = false;
  /** both sides right after boot, where both are known: nodes compare MemTotal from there */
  private bootSides?: NodeBase;
  /** a line the model could not read, and the entry it came before */
  private desynced?: { before: number; reason: string };

  constructor(
    readonly profile: Profile,
    readonly rules: KernelRules = DEFAULT_KERNEL_RULES,
    private now: () => number = Date.now,
  ) {
    const start = startModel(profile, { kernel: rules });
    this.state = start.ok ? { model: start.model } : { why: start.outOfSync };
  }

  /** Why the model stopped following the guest, if it did. */
  get outOfSync(): string | undefined {
    return 'why' in this.state ? this.state.why : undefined;
  }

  /**
   * The guest did something the model cannot follow (a line it could
   * not read): it stops, saying why. False if it had already stopped.
   */
  desync(reason: string): boolean {
    if ('why' in this.state) return false;
    this.state = { why: reason };
    this.desynced = { before: this.entries.length, reason };
    return true;
  }

  /** Entry 0: the state right after boot. */
  boot(real?: RealSide): TimelineEntry {
    return this.record({ source: 'boot', step: null, ...(real ? { real } : {}) });
  }

  /** A snapshot taken between steps. */
  snapshot(real: RealSide): TimelineEntry {
    return this.record({ source: 'snapshot', step: null, real });
  }

  /** A step the user took, with what the guest answered (none when only the model runs it). */
  step(source: Source, step: Step, real?: RealSide): TimelineEntry {
    const model = this.follow(step);
    return this.record({ source, step, sent: sentText(step), ...(real ? { real } : {}), model });
  }

  private follow(step: Step): NonNullable<TimelineEntry['model']> {
    if ('why' in this.state) return { outOfSync: this.state.why };
    const m = applyStep(this.state.model, step);
    if (!m.ok) {
      this.state = { why: `${describeStep(step)}: ${m.outOfSync}` };
      return { outOfSync: m.outOfSync };
    }
    if ('model' in step) this.modelOnly = true;
    const { output, exitCode, explanations, log } = m.result;
    return { output, exitCode, explanations, log, ...(this.modelOnly ? { modelOnly: true } : {}) };
  }

  private record(e: Omit<TimelineEntry, 'n' | 'at' | 'view' | 'comparison'>): TimelineEntry {
    const entry: TimelineEntry = { ...e, n: this.entries.length, at: this.now() };
    if ('model' in this.state) entry.view = modelView(this.state.model, this.rules);
    // a snapshot entry says why the model is absent as a step entry does
    else entry.model ??= { outOfSync: this.state.why };
    const real = entry.real?.snapshot;
    if (entry.source === 'boot' && real && entry.view) this.bootSides = { real, model: entry.view.snapshot };
    if (real && entry.view && 'model' in this.state && !this.modelOnly) {
      const sides = { real, model: entry.view.snapshot, ...this.answers(entry, this.state.model) };
      entry.comparison = compare({ ...sides, ...(this.bootSides ? { boot: this.bootSides } : {}) });
    }
    this.entries.push(entry);
    return entry;
  }

  /**
   * What else the entry compares: a step's exit status and output, and the
   * kernel messages: a step's against those its rules printed, the boot's
   * against the model's boot log; between steps the model predicts none.
   */
  private answers(e: TimelineEntry, model: KernelModel): Pick<Sides, 'step' | 'modelLog'> {
    if (e.source === 'boot') return { modelLog: model.state.kernel.log };
    if (!e.step) return { modelLog: [] };
    const { output, exitCode, log } = e.model ?? {};
    return {
      step: {
        qmp: 'qmp' in e.step,
        // a line typed in the console comes back as the terminal showed it, line editing and all, without its exit
        // status: shown, not counted (a step sent through the probe has both)
        real: { output: e.source === 'console' ? undefined : e.real?.output, exitCode: e.real?.exitCode },
        model: { output, exitCode },
      },
      modelLog: log ?? [],
    };
  }

  /**
   * The ledger as it stood after entry `n` (a rewind, a fork): the model follows the steps up to it again, and
   * each entry is compared again, with its time of old. A line the model could not read stops it again.
   */
  upTo(n: number): StepLedger {
    let at = 0;
    const l = new StepLedger(this.profile, this.rules, () => at);
    for (const e of this.entries.slice(0, n + 1)) {
      at = e.at;
      if (this.desynced && this.desynced.before === e.n) l.desync(this.desynced.reason);
      if (e.source === 'boot') l.boot(e.real);
      else if (!e.step) l.snapshot(e.real!);
      else l.step(e.source, e.step, e.real);
    }
    if (this.desynced && this.desynced.before === n + 1) l.desync(this.desynced.reason);
    l.now = this.now;
    return l;
  }

  /** The session's entries replayed under another kernel's rules. */
  whatIf(rules: KernelRules): WhatIf {
    return replayWhatIf(this.profile, this.entries, rules);
  }
}
