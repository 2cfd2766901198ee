// One guest's life: booting -> ready -> stopping -> stopped, or crashed with the reason. Owns the runtime
// folder (sockets, throw-away NVDIMM and CXL files) and removes it when the VM is gone; persistent NVDIMM
// images live elsewhere and are never deleted.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Snapshot } from '../../src-shared/snapshot/types';
import { parseProbeDump } from '../../src-shared/snapshot/probe-dump';
import { buildQemuArgv } from '../qemu/argv';
import { launchQemu, lastLines, type LaunchedQemu, type QemuExit } from '../qemu/launcher';
import { QmpClient } from '../qemu/qmp';
import { exitReason } from '../qemu/exit-reason';
import { ProbeClient } from '../probe/client';
import { dataDir, runtimeRoot } from '../util/paths';
import { bigGuestMs, readyDeadlineMs, SILENT_BOOT_MS } from './boot-deadlines';
import { consoleTail } from './console-tail';
import { SilentGuestError, untilHeard, untilReady } from './boot-waits';
import { notCheckpointable, type CheckpointUse } from '../checkpoint/guest';
import type { CheckpointKey } from '../checkpoint/key';
import { fromBootCheckpoint, ramFilesFor, restoreCheckpoint, RestoreError, saveBootCheckpoint } from './vm-checkpoint';
import { checkHostMemory, hostMemory } from './host-memory';
import { prepareNvdimmFiles } from './nvdimm-files';
import { prepareCxlFiles } from './cxl-files';
import { claimRunDir, sweepStaleRunDirs } from './run-dirs';
import { adoptRamFiles, type RamFiles } from './ram-files';
import { settleVirtioMemAtBoot, virtioMemDumpLines } from './virtio-mem-wait';
import { ConsoleBacklog } from './console-backlog';
import type { VmOptions } from './vm-options';

export type { VmOptions } from './vm-options';

export type VmState = 'booting' | 'ready' | 'stopping' | 'stopped' | 'crashed';

export class Vm extends EventEmitter<{ state: [VmState, string | undefined]; console: [Buffer] }> {
  state: VmState = 'booting';
  reason?: string;
  readyMs?: number;
  argv: string[] = [];
  readonly id = randomBytes(4).toString('hex');
  readonly runDir: string;
  private readonly sockets: { console: string; probe: string; qmp: string };
  private qemu?: LaunchedQemu;
  probe?: ProbeClient;
  /** where this guest came from, when checkpoints were considered */
  checkpoint?: CheckpointUse;
  /** the boot's checkpoint key (also for a guest restored from it) */
  key?: CheckpointKey;
  qmp?: QmpClient;
  /** a checkpointed guest's RAM files (ram-files.ts), and once QEMU holds them, the paths that reach them */
  ram?: RamFiles & { held?: Record<string, string> };
  /** settles once QMP has left capabilities negotiation (and QEMU holds the RAM files) */
  qmpReady?: Promise<unknown>;
  private consoleSocket?: Socket;
  private stopping?: Promise<void>;
  private readonly backlog = new ConsoleBacklog();

  private constructor(readonly options: VmOptions) {
    super();
    this.runDir = join(runtimeRoot(), this.id);
    this.sockets = {
      console: join(this.runDir, 'console.sock'),
      probe: join(this.runDir, 'probe.sock'),
      qmp: join(this.runDir, 'qmp.sock'),
    };
  }

  /** `readyMs` counts from here, a relaunch and a checkpoint's save included: it is what the user waited. */
  static async boot(options: VmOptions): Promise<Vm> {
    const t0 = performance.now();
    const total = readyDeadlineMs(options);
    let silentMs =
      options.relaunchIfSilent === false
        ? undefined
        : Math.min(SILENT_BOOT_MS + bigGuestMs(options.profile), total / 2);
    const cost = checkHostMemory(options.profile, await hostMemory());
    if (cost) process.stderr.write(`pmem-lab: ${options.profile.name}: ${cost}\n`);
    // a session's rewind (restoreFrom) restores its checkpoint or fails: never a cold boot in its place
    const cold = options.checkpoint === 'cold' ? 'a cold boot was asked for' : notCheckpointable(options.profile);
    const notSaved = options.restoreFrom ? undefined : cold;
    let restore = notSaved === undefined;
    let vm: Vm;
    let restoreFailed: string | undefined;
    for (;;) {
      try {
        vm = await Vm.attempt(options, t0 + total, silentMs, restore);
        break;
      } catch (e) {
        if (e instanceof RestoreError && !options.restoreFrom) {
          // never fatal: the guest boots cold (and saves anew over a checkpoint that was at fault)
          if (e.dir) await rm(e.dir, { recursive: true, force: true });
          restoreFailed = e.message;
          restore = false;
          continue;
        }
        if (!(e instanceof SilentGuestError)) throw e;
        // rare and worth knowing about, so say it wherever the lab runs (CLI, server log)
        process.stderr.write(`pmem-lab: ${options.profile.name}: ${e.message}; relaunching it\n`);
        silentMs = undefined;
      }
    }
    if (notSaved) vm.checkpoint = { from: 'cold', why: notSaved };
    else if (restoreFailed) vm.checkpoint = { ...vm.checkpoint!, why: restoreFailed };
    if (vm.checkpoint?.from === 'cold' && vm.key) await saveBootCheckpoint(vm, vm.key, total);
    // QEMU killed, or the user's stop, while the checkpoint was saved: no guest to hand over
    if (vm.state !== 'booting')
      throw new Error(`the guest ended while its checkpoint was saved: ${vm.reason ?? vm.state}`);
    vm.readyMs = Math.round(performance.now() - t0);
    vm.setState('ready');
    return vm;
  }

  private static async attempt(
    options: VmOptions,
    deadline: number,
    silentMs: number | undefined,
    restore: boolean,
  ): Promise<Vm> {
    const vm = new Vm(options);
    try {
      await vm.start(Math.max(1, Math.round(deadline - performance.now())), silentMs, restore);
    } catch (e) {
      if (e instanceof RestoreError) {
        await vm.stop();
        throw e;
      }
      // QEMU's own last words explain a failed boot better than whichever wait noticed it first.
      const exit = await vm.exitStatus();
      await vm.stop();
      if (exit)
        throw new Error(
          `QEMU exited while booting (${exit.signal ?? `code ${exit.code}`}): ` +
            `${lastLines(exit.stderr)}${consoleTail(vm.consoleHistory())}`,
          { cause: e },
        );
      throw e;
    }
    return vm;
  }

  private async start(readyTimeout: number, silentMs: number | undefined, restore: boolean): Promise<void> {
    const { profile, kit, accel } = this.options;
    await sweepStaleRunDirs(runtimeRoot());
    await mkdir(this.runDir, { recursive: true, mode: 0o700 });
    await claimRunDir(this.runDir);
    const imagesDir = this.options.imagesDir ?? join(dataDir(), 'images', profile.name);
    const nvdimmFiles = await prepareNvdimmFiles(profile, this.runDir, imagesDir);
    const from = this.options.restoreFrom;
    const ram = await ramFilesFor(this.options, this.id);
    if (typeof ram === 'object') this.ram = ram;
    this.argv = buildQemuArgv(profile, accel, {
      kernel: kit.kernel,
      initrd: kit.initrd,
      consoleSocket: this.sockets.console,
      probeSocket: this.sockets.probe,
      qmpSocket: this.sockets.qmp,
      nvdimmFiles,
      cxlFiles: await prepareCxlFiles(profile, this.runDir),
      ramFiles: this.ram?.files,
    });
    if (from) {
      this.argv.push(...from.extraArgv(this.runDir, this.ram?.files ?? {}));
      await restoreCheckpoint(this, from.found, readyTimeout);
      this.checkpoint = { from: 'checkpoint' };
      return;
    }
    if (typeof ram === 'string') this.checkpoint = { from: 'cold', why: `no checkpoint: ${ram}` };
    if (this.ram && (await fromBootCheckpoint(this, nvdimmFiles, restore, readyTimeout))) return;
    const qemu = await this.launch([]);
    const waits: Promise<unknown>[] = [
      this.qmpReady!,
      untilReady(this, this.probe!, () => this.consoleHistory(), readyTimeout, readyDeadlineMs(this.options)),
    ];
    if (silentMs !== undefined) waits.push(untilHeard(this, qemu, silentMs));
    await Promise.all(waits);
    // every door boots here, so "ready" includes what virtio-mem plugs at boot (virtio-mem-wait.ts)
    if (profile.virtioMem.length) await settleVirtioMemAtBoot(this.qmp!, this.probe!, readyTimeout);
  }

  /** Starts QEMU with the boot's argv (plus `extra`) and wires its serial lines and QMP. */
  async launch(extra: string[]): Promise<LaunchedQemu> {
    const qemu = await launchQemu({ argv: [...this.argv, ...extra], sockets: this.sockets });
    this.qemu = qemu;
    this.consoleSocket = qemu.console;
    qemu.console.on('data', (d: Buffer) => {
      this.keep(d);
      this.emit('console', d);
    });
    qemu.console.on('error', () => {});
    this.probe = new ProbeClient(qemu.probe);
    this.qmp = new QmpClient(qemu.qmp);
    const ram = this.ram;
    this.qmpReady = this.qmp.handshake(readyDeadlineMs(this.options)).then(async () => {
      if (ram) ram.held = await adoptRamFiles(ram, qemu.pid);
    });
    void qemu.exited.then((x) => this.onExit(x.code, x.signal, x.stderr));
    this.options.onLaunched?.(this);
    return qemu;
  }

  /** How QEMU ended, if it has (waiting half a second for it); undefined while it runs. */
  async exitStatus(): Promise<QemuExit | undefined> {
    if (!this.qemu) return undefined;
    return Promise.race([this.qemu.exited, delay(500, undefined, { ref: false })]);
  }

  /** Someone asked this guest to stop (a restore that fails because of it is not the checkpoint's fault). */
  get stopRequested(): boolean {
    return this.stopping !== undefined;
  }

  /** QEMU's process id while it runs. */
  get pid(): number | undefined {
    return this.qemu?.pid;
  }

  /** What the console printed so far (the last 256 KiB). */
  consoleHistory(): Buffer {
    return this.backlog.history();
  }

  /** The lab's own words shown beside the guest's output: kept in the history a viewer that attaches later replays. */
  recordConsole(text: string): void {
    this.keep(Buffer.from(text, 'utf8'));
  }

  keep(d: Buffer): void {
    this.backlog.keep(d);
  }

  writeConsole(data: string | Buffer): void {
    this.consoleSocket?.write(data);
  }

  /** Flow control for slow viewers: QEMU's serial backend stalls the guest's UART while paused. */
  pauseConsole(): void {
    this.consoleSocket?.pause();
  }

  resumeConsole(): void {
    this.consoleSocket?.resume();
  }

  async snapshot(timeoutMs?: number): Promise<Snapshot> {
    return parseProbeDump(await this.rawSnapshot(timeoutMs));
  }

  async rawSnapshot(timeoutMs?: number): Promise<string> {
    const dump = await this.mustProbe().rawSnapshot(timeoutMs);
    return this.options.profile.virtioMem.length ? dump + (await virtioMemDumpLines(this.qmp!)) : dump;
  }

  async run(command: string, timeoutMs?: number): Promise<{ output: string; exitCode: number }> {
    return this.mustProbe().run(command, timeoutMs);
  }

  private mustProbe(): ProbeClient {
    if (this.state !== 'ready' || !this.probe)
      throw new Error(`the VM is ${this.state}${this.reason ? ` (${this.reason})` : ''}`);
    return this.probe;
  }

  /** Clean shutdown through QMP, then SIGKILL after a deadline; removes the runtime folder. */
  stop(deadlineMs = 3000): Promise<void> {
    this.stopping ??= this.doStop(deadlineMs);
    return this.stopping;
  }

  private async doStop(deadlineMs: number): Promise<void> {
    if (this.state === 'booting' || this.state === 'ready') this.setState('stopping');
    const q = this.qemu;
    if (q) {
      const gone = q.exited.then(() => true);
      // a step still running holds the probe, and sync waits its turn behind it: give up on it after 2 s all told
      const sync = this.probe?.ready ? this.probe.run('sync', 2000, false).catch(() => undefined) : undefined;
      await Promise.race([sync, delay(2000, undefined, { ref: false })]);
      await this.qmp?.execute('quit', undefined, deadlineMs).catch(() => undefined);
      if (!(await Promise.race([gone, delay(deadlineMs, false, { ref: false })]))) q.kill();
      await q.exited;
    }
    await rm(this.runDir, { recursive: true, force: true });
    if (this.ram) await rm(this.ram.dir, { recursive: true, force: true });
    if (this.state !== 'crashed') this.setState('stopped');
  }

  private onExit(code: number | null, signal: string | null, stderr: string): void {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    this.setState('crashed', exitReason(code, signal, stderr));
    void this.stop();
  }

  private setState(s: VmState, reason?: string): void {
    this.state = s;
    if (reason) this.reason = reason;
    this.emit('state', s, reason);
  }
}
