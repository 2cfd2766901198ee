// One lab session: a real guest booted from a profile, the model following it
// step by step, and the timeline of every action and snapshot. Operations on
// a session run one at a time (the probe line and the model are sequential).
import type { Phase, SessionInfo, TimelineEntry } from '../../src-shared/api/contract';
import { classifyConsoleLine } from '../../src-shared/actions';
import { compareSnapshots } from '../../src-shared/compare';
import type { KernelModel, KernelRules } from '../../src-shared/model';
import type { Profile } from '../../src-shared/profile/schema';
import { applyStep, startModel } from '../../src-shared/scenario/apply';
import { describeStep, type Step } from '../../src-shared/scenario/schema';
import type { Snapshot } from '../../src-shared/snapshot/types';
import { prepare, type Prepared } from '../session/lab';
import { allowedQmp, runStep } from '../session/runner';
import { Vm } from '../session/vm';
import { ConsoleStream } from './console-stream';
import { modelView } from './model-view';
import { TypedLineTracker } from './typed-line';

/**
 * The guest shell's prompt (PS1='\h:\w# ' with hostname pmem-lab): a console command has finished when it
 * reappears. busybox ash follows it with a cursor-position query (ESC [ 6 n).
 */
const PROMPT = /pmem-lab:[^\r\n]*# (?:\x1b\[[0-9;]*[A-Za-z])*$/;
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;
const CONSOLE_COMMAND_TIMEOUT_MS = 120_000;

export interface SessionEvents {
  state(info: SessionInfo): void;
  console(data: string): void;
  entry(entry: TimelineEntry): void;
  viewers(): number;
}

export class LabSession {
  readonly timeline: TimelineEntry[] = [];
  private phase: Phase = 'kit';
  private vm?: Vm;
  private prepared?: Prepared;
  /** absent when the model cannot build this profile (then it is out of sync from boot) */
  private model?: KernelModel;
  private readonly rules: KernelRules = '6.1';
  /** steps the model has applied, replayed for what-if */
  private readonly modelSteps: Step[] = [];
  private outOfSync?: string;
  /** after a model-only step the model shows what the guest cannot: no more comparisons */
  private modelOnly = false;
  private reason?: string;
  private queue: Promise<unknown> = Promise.resolve();
  private stream?: ConsoleStream;
  private typed = new TypedLineTracker();
  private sinceEnter: string | undefined;
  private promptWaiters: (() => void)[] = [];
  private stopped?: Promise<void>;

  constructor(readonly id: string, readonly profileName: string, readonly profile: Profile, private readonly events: SessionEvents) {
    const start = startModel(profile, { kernel: this.rules });
    if (start.ok) this.model = start.model;
    else this.outOfSync = start.outOfSync;
  }

  info(): SessionInfo {
    const vm = this.vm;
    return {
      id: this.id,
      profile: this.profileName,
      phase: this.phase,
      rules: this.rules,
      ...(this.prepared ? { accel: this.prepared.accel.accel, accelWhy: this.prepared.accel.reason, qemu: this.prepared.qemu } : {}),
      ...(vm?.readyMs !== undefined ? { readyMs: vm.readyMs } : {}),
      ...(vm?.argv.length ? { argv: vm.argv } : {}),
      ...(this.timeline[0]?.real?.snapshot ? { kernel: this.timeline[0].real.snapshot.kernel } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.outOfSync ? { outOfSync: this.outOfSync } : {}),
    };
  }

  private setPhase(p: Phase, reason?: string): void {
    this.phase = p;
    if (reason) this.reason = reason;
    this.events.state(this.info());
  }

  /** kit -> qemu -> kernel -> ready, then the first snapshot becomes timeline entry 0. */
  async boot(): Promise<void> {
    try {
      this.setPhase('kit');
      this.prepared = await prepare(this.profile);
      this.setPhase('qemu');
      this.vm = await Vm.boot({ profile: this.profile, kit: this.prepared.kit, accel: this.prepared.accel.accel, onLaunched: (vm) => this.attach(vm) });
      this.vm.on('state', (s, why) => {
        if (s === 'crashed') this.setPhase('crashed', why);
      });
      const real = await this.vm.snapshot();
      this.record({ source: 'boot', step: null, real: { snapshot: real } });
      this.setPhase('ready');
    } catch (e) {
      this.setPhase('crashed', (e as Error).message);
      await this.stop();
      throw e;
    }
  }

  private attach(vm: Vm): void {
    this.vm = vm;
    this.stream?.close();
    this.stream = new ConsoleStream(vm, (data) => this.events.console(data), this.events.viewers);
    let first = true;
    vm.on('console', (d) => {
      if (first && this.phase === 'qemu') this.setPhase('kernel');
      first = false;
      this.stream!.push(d);
      this.watchPrompt(d.toString('latin1'));
    });
  }

  private watchPrompt(text: string): void {
    if (this.sinceEnter === undefined) return;
    this.sinceEnter = (this.sinceEnter + text).slice(-64 * 1024);
    if (PROMPT.test(this.sinceEnter)) for (const w of this.promptWaiters.splice(0)) w();
  }

  consoleHistory(): string {
    return this.vm?.consoleHistory().toString('utf8') ?? '';
  }

  ack(chars: number): void {
    this.stream?.ack(chars);
  }

  /** Keystrokes for the guest shell; finished vocabulary lines are mirrored into the model. */
  input(data: string): void {
    const vm = this.mustBeReady();
    for (const t of this.typed.feed(data)) {
      if ('unreadable' in t) this.markOutOfSync('a line edited with cursor keys, history or tab completion could not be read from the keystrokes');
      else {
        const meaning = classifyConsoleLine(t.line);
        if (meaning.kind === 'outside') this.markOutOfSync(meaning.reason);
        else if (meaning.kind === 'action') this.mirror(t.line);
      }
    }
    vm.writeConsole(data);
  }

  private markOutOfSync(reason: string): void {
    if (this.outOfSync) return;
    this.outOfSync = reason;
    this.events.state(this.info());
  }

  /** A vocabulary line typed in the console: once the prompt is back, the model applies it and both sides are compared. */
  private mirror(line: string): void {
    this.sinceEnter = '';
    const done = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, CONSOLE_COMMAND_TIMEOUT_MS);
      this.promptWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
    void this.serial(async () => {
      await done;
      const output = this.consoleOutput(line);
      this.sinceEnter = undefined;
      const real = await this.realSnapshot();
      return this.applyAndRecord('console', { run: line }, line, { output, ...real });
    }).catch(() => undefined);
  }

  /** What the guest printed for a console line: the echo and the prompt removed. */
  private consoleOutput(line: string): string {
    const text = (this.sinceEnter ?? '').replace(PROMPT, '').replace(ESCAPES, '').replace(/\r/g, '');
    const at = text.indexOf(line);
    return (at >= 0 ? text.slice(at + line.length) : text).replace(/^\n/, '');
  }

  private async realSnapshot(): Promise<{ snapshot?: Snapshot; error?: string }> {
    try {
      return { snapshot: await this.vm!.snapshot() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /** A step from the action panel or a scenario: run on the guest (echoed in the console), applied to the model, compared. */
  act(step: Step, source: TimelineEntry['source'] = 'panel'): Promise<TimelineEntry> {
    const vm = this.mustBeReady();
    // refused QMP never reaches the console or the queue
    if ('qmp' in step) allowedQmp(vm, step.qmp);
    return this.serial(async () => {
      const sent = 'run' in step ? step.run : 'qmp' in step ? JSON.stringify(step.qmp) : `model-only: ${step.model}`;
      this.events.console(`\r\n\x1b[2m[pmem-lab ${'qmp' in step ? 'QMP' : 'model' in step ? 'model-only' : 'runs'}] ${sent}\x1b[0m\r\n`);
      const r = await runStep(vm, step, this.timeline.length);
      if (r.output && 'run' in step) this.events.console(r.output.replace(/\r?\n/g, '\r\n'));
      return this.applyAndRecord(source, step, sent, { ...(r.output !== undefined ? { output: r.output } : {}), ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.real ? { snapshot: r.real } : {}) });
    });
  }

  snapshot(): Promise<TimelineEntry> {
    this.mustBeReady();
    return this.serial(async () => this.record({ source: 'snapshot', step: null, real: await this.realSnapshot() }));
  }

  private applyAndRecord(source: TimelineEntry['source'], step: Step, sent: string, real: NonNullable<TimelineEntry['real']>): TimelineEntry {
    let model: TimelineEntry['model'];
    if (this.outOfSync || !this.model) model = { outOfSync: this.outOfSync ?? 'no model' };
    else {
      const m = applyStep(this.model, step);
      if (!m.ok) {
        this.markOutOfSync(`${describeStep(step)}: ${m.outOfSync}`);
        model = { outOfSync: m.outOfSync };
      } else {
        this.modelSteps.push(step);
        if ('model' in step) this.modelOnly = true;
        model = { output: m.result.output, exitCode: m.result.exitCode, ...(this.modelOnly ? { modelOnly: true } : {}) };
      }
    }
    return this.record({ source, step, sent, real, model });
  }

  private record(e: Omit<TimelineEntry, 'n' | 'at' | 'view' | 'comparison'>): TimelineEntry {
    const entry: TimelineEntry = { ...e, n: this.timeline.length, at: Date.now() };
    if (!this.outOfSync && this.model) entry.view = modelView(this.model, this.rules);
    const real = entry.real?.snapshot;
    if (real && entry.view && !this.modelOnly) {
      const c = compareSnapshots(real, entry.view.snapshot);
      entry.comparison = { fidelity: c.fidelity, iomem: c.iomem, blocks: c.blocks };
    }
    this.timeline.push(entry);
    this.events.entry(entry);
    return entry;
  }

  /** The session's model steps replayed under another kernel's rules. */
  whatIf(rules: KernelRules) {
    const start = startModel(this.profile, { kernel: rules });
    if (!start.ok) throw new Error(start.outOfSync);
    for (const s of this.modelSteps) applyStep(start.model, s);
    return modelView(start.model, rules);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private mustBeReady(): Vm {
    if (this.phase !== 'ready' || !this.vm) throw new SessionStateError(`session ${this.id} is ${this.phase}${this.reason ? `: ${this.reason}` : ''}`);
    return this.vm;
  }

  get live(): boolean {
    return this.phase !== 'stopped' && this.phase !== 'crashed';
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const crashed = this.phase === 'crashed';
      if (!crashed) this.setPhase('stopping');
      this.stream?.flush();
      this.stream?.close();
      await this.vm?.stop();
      if (!crashed) this.setPhase('stopped');
    })();
    return this.stopped;
  }
}

export class SessionStateError extends Error {}
