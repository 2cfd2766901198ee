// One lab session: a real guest booted from a profile, and the step ledger that follows it with the model and
// keeps the timeline. This class runs the guest's side (boot phases, steps through the probe, console input and
// output) and hands every answer to the ledger; operations run one at a time (the probe and model are sequential).
import type { Phase, SessionInfo, TimelineEntry } from '../../src-shared/api/contract';
import { StepLedger, type RealSide } from '../../src-shared/ledger';
import type { KernelRules } from '../../src-shared/model';
import type { Profile } from '../../src-shared/profile/schema';
import type { Step } from '../../src-shared/scenario/schema';
import { prepare, type Prepared } from '../guest/lab';
import { allowedQmp, runStep } from '../guest/runner';
import { Vm } from '../guest/vm';
import { watchBoot } from '../guest/boot-watch';
import { ConsoleMirror } from './console-mirror';
import { ConsoleStream } from './console-stream';
import { answerText, stepHeading } from './step-echo';
import { NoCheckpointError, StepCheckpoints } from './step-checkpoints';
import type { SessionEvents } from './types';
import { sessionInfo } from './session-info';

const CONSOLE_COMMAND_TIMEOUT_MS = 120_000;
/** How long a panel step waits for the guest's echo of its output on the console before the prompt is redrawn. */
const ECHO_WAIT_MS = 2000;

export class LabSession {
  private phase: Phase = 'kit';
  private vm?: Vm;
  private prepared?: Prepared;
  private ledger: StepLedger;
  /** a checkpoint per entry, where the profile allows it, and the branches forks kept */
  private readonly steps: StepCheckpoints;
  private reason?: string;
  private queue: Promise<unknown> = Promise.resolve();
  private stream?: ConsoleStream;
  private readonly mirror = new ConsoleMirror(CONSOLE_COMMAND_TIMEOUT_MS);
  private stopped?: Promise<void>;
  /** the out-of-sync reason viewers were last told */
  private announced?: string;
  private readonly phaseMs: Partial<Record<Phase, number>> = {};
  private bootStart = 0;
  private stopWatch?: () => void;

  constructor(
    readonly id: string,
    readonly profileName: string,
    readonly profile: Profile,
    private readonly events: SessionEvents,
  ) {
    this.ledger = new StepLedger(profile);
    this.steps = new StepCheckpoints(id, profile);
  }

  get timeline(): TimelineEntry[] {
    return this.ledger.entries;
  }

  info(): SessionInfo {
    return sessionInfo({
      id: this.id,
      profile: this.profileName,
      phase: this.phase,
      ledger: this.ledger,
      phaseMs: this.phaseMs,
      steps: this.steps,
      ...(this.prepared ? { prepared: this.prepared } : {}),
      ...(this.vm ? { vm: this.vm } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
    });
  }

  private setPhase(p: Phase, reason?: string): void {
    if (this.phaseMs[p] === undefined) this.phaseMs[p] = Math.round(performance.now() - this.bootStart);
    this.phase = p;
    if (reason) this.reason = reason;
    this.events.state(this.info());
  }

  /**
   * kit -> qemu -> firmware -> kernel -> init (the guest's own, by the boot watch) -> ready, then the first
   * snapshot becomes timeline entry 0.
   */
  async boot(): Promise<void> {
    this.bootStart = performance.now();
    try {
      this.setPhase('kit');
      this.prepared = await prepare(this.profile);
      this.setPhase('qemu');
      this.vm = await Vm.boot({
        profile: this.profile,
        kit: this.prepared.kit,
        accel: this.prepared.accel.accel,
        checkpoint: this.prepared.checkpoint,
        onLaunched: (vm) => this.attach(vm),
      });
      // a page that asked for the history before the restored QEMU was there got none: the screen, now it runs
      if (this.vm.checkpoint?.from === 'checkpoint') this.events.consoleReset(this.consoleHistory());
      this.watchCrash(this.vm);
      this.stopWatch?.();
      this.publish(this.ledger.boot({ snapshot: await this.vm.snapshot() }));
      this.steps.boot(this.vm);
      this.setPhase('ready');
    } catch (e) {
      this.stopWatch?.();
      // the user stopped the guest while it booted (the prompt shows before the boot's last waits end): that is
      // a stop, not a crash
      if (this.stopped) return this.stopped;
      this.setPhase('crashed', (e as Error).message);
      await this.stop();
      throw e;
    }
  }

  private watchCrash = (vm: Vm) => vm.on('state', (s, why) => (s === 'crashed' ? this.setPhase('crashed', why) : 0));

  private attach(vm: Vm): void {
    // a cold boot after a failed restore, launched after the user's stop: it goes too
    if (this.stopped) return void vm.stop();
    this.vm = vm;
    this.stream?.close();
    const events = this.events;
    this.stream = new ConsoleStream(vm, events.console.bind(events), events.viewers.bind(events));
    this.stopWatch?.();
    // the guest's own milestones while it boots (the kernel is quiet on the console)
    this.stopWatch = watchBoot(vm.qmp!, vm.qmpReady!, (stage) => {
      if (this.phase !== 'ready' && this.live) this.setPhase(stage);
    });
    vm.on('console', (d) => {
      this.stream!.push(d);
      this.mirror.output(d.toString('latin1'));
    });
  }

  consoleHistory(): string {
    return this.vm?.consoleHistory().toString('utf8') ?? '';
  }

  ack(chars: number): void {
    this.stream?.ack(chars);
  }

  /**
   * Keystrokes for the guest shell; finished vocabulary lines are mirrored into the model once their prompt is back.
   * A line the next one overlapped keeps its output but gets no snapshot: the guest was already running the next.
   */
  input(data: string): void {
    const vm = this.mustBeReady();
    for (const m of this.mirror.keystrokes(data)) {
      if ('outOfSync' in m) this.desync(m.outOfSync);
      else
        void this.serial(async () => {
          const { output, overlapped } = await m.result;
          const real = overlapped ? { output, overlapped } : { output, ...(await this.realSnapshot()) };
          const entry = this.publish(this.ledger.step('console', { run: m.mirror }, real));
          if (!overlapped) await this.checkpoint(entry);
          return entry;
        }).catch(() => undefined);
    }
    vm.writeConsole(data);
  }

  private desync(reason: string): void {
    this.ledger.desync(reason);
    this.announce();
  }

  /** Viewers hear at once when the model stops following the guest (the header shows it). */
  private announce(): void {
    if (this.ledger.outOfSync === this.announced) return;
    this.announced = this.ledger.outOfSync;
    this.events.state(this.info());
  }

  private async realSnapshot(): Promise<Pick<RealSide, 'snapshot' | 'error'>> {
    try {
      return { snapshot: await this.vm!.snapshot() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }

  /**
   * A step from the action panel: run on the guest, then through the ledger. The guest's agent echoes a console
   * line and its output on the console itself; a QMP answer is printed here. The shell's prompt is drawn again
   * after it, as the shell does not know the step ran.
   */
  act(step: Step, source: TimelineEntry['source'] = 'panel'): Promise<TimelineEntry> {
    // refused QMP never reaches the console or the queue
    if ('qmp' in step) allowedQmp(this.mustBeReady(), step.qmp);
    return this.serial(async () => {
      // the guest of the moment: a rewind queued before this step replaced the one there was
      const vm = this.mustBeReady();
      const qmp = 'qmp' in step ? allowedQmp(vm, step.qmp) : undefined;
      this.say(stepHeading(step));
      const shown = this.mirror.capture();
      try {
        const answer = await runStep(vm, step, this.timeline.length);
        if ('run' in step) await shown.until(`# ${step.run}\n${answer.output}`, ECHO_WAIT_MS);
        else this.say(answerText(answer));
        const entry = this.publish(this.ledger.step(source, step, answer));
        if (qmp && answer.exitCode === 0) this.steps.qmp(entry.n, qmp, vm.runDir);
        this.say(this.mirror.redraw());
        await this.checkpoint(entry);
        return entry;
      } finally {
        shown.stop();
      }
    });
  }

  /** The lab's words in the console, after what the guest printed so far, and in its history for a reload. */
  private say(text: string): void {
    if (this.stream) this.stream.say(text);
    else this.events.console(text);
    this.vm?.recordConsole(text);
  }

  snapshot(): Promise<TimelineEntry> {
    this.mustBeReady();
    return this.serial(async () => this.publish(this.ledger.snapshot(await this.realSnapshot())));
  }

  /** A new entry goes to the viewers; a step that put the model out of sync changes the session's state too. */
  private publish(entry: TimelineEntry): TimelineEntry {
    this.events.entry(entry);
    this.announce();
    return entry;
  }

  /** The guest after `entry`, for a rewind (viewers hear of it); a failed save is said, never fatal. */
  private async checkpoint(entry: TimelineEntry): Promise<void> {
    await this.steps.step(entry, this.vm!).then(
      (saved) => saved && this.events.state(this.info()),
      (e: Error) => this.say(`\r\n[pmem-lab: no checkpoint: ${e.message}]\r\n`),
    );
  }

  /**
   * The guest and the model back to entry `n`: a new QEMU restores its checkpoint (the running guest stays until
   * it has), the ledger replays the entries up to it; a fork keeps the entries after `n` as a branch.
   */
  rewind(n: number, fork: boolean): Promise<SessionInfo> {
    const old = this.mustBeReady();
    return this.serial(async () => {
      if (n >= this.timeline.length) throw new NoCheckpointError(`entry ${n} is not in the timeline`);
      const vm = await this.steps.restore(n, old.options);
      await this.steps.cut(n, this.timeline.slice(n + 1), fork);
      this.ledger = this.ledger.upTo(n);
      old.removeAllListeners('console');
      await old.stop();
      this.attach(vm);
      this.stopWatch?.();
      this.watchCrash(vm);
      this.events.reset(this.timeline, this.consoleHistory());
      this.events.state(this.info());
      return this.info();
    });
  }

  /** A branch a fork kept. */
  branch(id: number): TimelineEntry[] {
    return this.steps.branch(id);
  }

  /** The session's model steps replayed under another kernel's rules. */
  whatIf(rules: KernelRules) {
    return this.ledger.whatIf(rules);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private mustBeReady(): Vm {
    if (this.phase !== 'ready' || !this.vm)
      throw new SessionStateError(`session ${this.id} is ${this.phase}${this.reason ? `: ${this.reason}` : ''}`);
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
      await this.steps.clear();
      if (!crashed) this.setPhase('stopped');
    })();
    return this.stopped;
  }
}

export class SessionStateError extends Error {}
