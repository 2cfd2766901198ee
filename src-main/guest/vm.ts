// One guest's life: booting -> ready -> stopping -> stopped, or crashed with the reason. Owns the runtime
// folder (sockets, throw-away NVDIMM and CXL files) and removes it when the VM is gone; persistent NVDIMM
// images live elsewhere and are never deleted.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Profile } from '../../src-shared/profile/schema';
import type { Snapshot } from '../../src-shared/snapshot/types';
import { parseProbeDump } from '../../src-shared/snapshot/probe-dump';
import { buildQemuArgv, type Accel } from '../qemu/argv';
import { launchQemu, lastLines, type LaunchedQemu } from '../qemu/launcher';
import { QmpClient } from '../qemu/qmp';
import { exitReason } from '../qemu/exit-reason';
import { ProbeClient } from '../probe/client';
import type { Kit } from '../kit/build';
import { dataDir, runtimeRoot } from '../util/paths';
import { bigGuestMs, readyDeadlineMs, SILENT_BOOT_MS } from './boot-deadlines';
import { consoleTail } from './console-tail';
import { checkHostMemory, hostMemory } from './host-memory';
import { prepareNvdimmFiles } from './nvdimm-files';
import { prepareCxlFiles } from './cxl-files';
import { claimRunDir, sweepStaleRunDirs } from './run-dirs';
import { settleVirtioMemAtBoot, virtioMemDumpLines } from './virtio-mem-wait';

/** Console output kept for viewers that attach after boot (the kernel's messages, the first prompt). */
const CONSOLE_BACKLOG = 256 * 1024;

export type VmState = 'booting' | 'ready' | 'stopping' | 'stopped' | 'crashed';

export interface VmOptions {
  profile: Profile;
  kit: Kit;
  accel: Accel;
  readyTimeoutMs?: number;
  /** folder for persistent NVDIMM images (default: the data dir's images/PROFILE) */
  imagesDir?: string;
  /**
   * called once QEMU runs, before the guest is ready: viewers attach to the console from here (again after a relaunch)
   */
  onLaunched?: (vm: Vm) => void;
  /** relaunch a guest that stays silent on both serial lines (default true; the KVM probe wants the hang itself) */
  relaunchIfSilent?: boolean;
}

/** The guest printed nothing at all on either serial line. */
class SilentGuestError extends Error {}

export class Vm extends EventEmitter<{ state: [VmState, string | undefined]; console: [Buffer] }> {
  state: VmState = 'booting';
  reason?: string;
  readyMs?: number;
  argv: string[] = [];
  readonly id = randomBytes(4).toString('hex');
  readonly runDir: string;
  private qemu?: LaunchedQemu;
  private probe?: ProbeClient;
  qmp?: QmpClient;
  /** settles once QMP has left capabilities negotiation */
  qmpReady?: Promise<unknown>;
  private consoleSocket?: Socket;
  private stopping?: Promise<void>;
  private consoleBacklog: Buffer[] = [];
  private consoleBytes = 0;

  private constructor(readonly options: VmOptions) {
    super();
    this.runDir = join(runtimeRoot(), this.id);
  }

  /** `readyMs` counts from here, a relaunch included: it is what the user waited. */
  static async boot(options: VmOptions): Promise<Vm> {
    const t0 = performance.now();
    const total = readyDeadlineMs(options);
    const silentMs =
      options.relaunchIfSilent === false
        ? undefined
        : Math.min(SILENT_BOOT_MS + bigGuestMs(options.profile), total / 2);
    const cost = checkHostMemory(options.profile, await hostMemory());
    if (cost) process.stderr.write(`pmem-lab: ${options.profile.name}: ${cost}\n`);
    let vm: Vm;
    try {
      vm = await Vm.attempt(options, t0 + total, silentMs);
    } catch (e) {
      if (!(e instanceof SilentGuestError)) throw e;
      // rare and worth knowing about, so say it wherever the lab runs (CLI, server log)
      process.stderr.write(`pmem-lab: ${options.profile.name}: ${e.message}; relaunching it\n`);
      vm = await Vm.attempt(options, t0 + total, undefined);
    }
    vm.readyMs = Math.round(performance.now() - t0);
    vm.setState('ready');
    return vm;
  }

  private static async attempt(options: VmOptions, deadline: number, silentMs: number | undefined): Promise<Vm> {
    const vm = new Vm(options);
    try {
      await vm.start(Math.max(1, Math.round(deadline - performance.now())), silentMs);
    } catch (e) {
      // QEMU's own last words explain a failed boot better than whichever wait noticed it first.
      const exit =
        vm.qemu &&
        (await Promise.race([vm.qemu.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]));
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

  private async start(readyTimeout: number, silentMs: number | undefined): Promise<void> {
    const { profile, kit, accel } = this.options;
    await sweepStaleRunDirs(runtimeRoot());
    await mkdir(this.runDir, { recursive: true, mode: 0o700 });
    await claimRunDir(this.runDir);
    const imagesDir = this.options.imagesDir ?? join(dataDir(), 'images', profile.name);
    const sockets = {
      console: join(this.runDir, 'console.sock'),
      probe: join(this.runDir, 'probe.sock'),
      qmp: join(this.runDir, 'qmp.sock'),
    };
    this.argv = buildQemuArgv(profile, accel, {
      kernel: kit.kernel,
      initrd: kit.initrd,
      consoleSocket: sockets.console,
      probeSocket: sockets.probe,
      qmpSocket: sockets.qmp,
      nvdimmFiles: await prepareNvdimmFiles(profile, this.runDir, imagesDir),
      cxlFiles: await prepareCxlFiles(profile, this.runDir),
    });
    const qemu = await launchQemu({ argv: this.argv, sockets });
    this.qemu = qemu;
    this.consoleSocket = qemu.console;
    qemu.console.on('data', (d: Buffer) => {
      this.keep(d);
      this.emit('console', d);
    });
    qemu.console.on('error', () => {});
    this.probe = new ProbeClient(qemu.probe);
    this.qmp = new QmpClient(qemu.qmp);
    this.qmpReady = this.qmp.handshake(readyTimeout);
    void qemu.exited.then((x) => this.onExit(x.code, x.signal, x.stderr));
    this.options.onLaunched?.(this);
    const waits = [this.qmpReady, this.untilReady(readyTimeout)];
    if (silentMs !== undefined) waits.push(this.untilHeard(qemu, silentMs));
    await Promise.all(waits);
    // every door boots here, so "ready" includes what virtio-mem plugs at boot (virtio-mem-wait.ts)
    if (profile.virtioMem.length) await settleVirtioMemAtBoot(this.qmp, this.probe, readyTimeout);
  }

  /** Resolves at the first byte on either serial line. */
  private untilHeard(qemu: LaunchedQemu, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        clearTimeout(t);
        qemu.console.off('data', heard);
        qemu.probe.off('data', heard);
        this.off('state', onState);
        if (error) reject(error);
        else resolve();
      };
      const heard = () => settle();
      // a QEMU that exits is reported by the other waits; this one only stops waiting
      const onState = (s: VmState) => (s === 'crashed' || s === 'stopped' ? settle() : undefined);
      const t = setTimeout(
        () =>
          settle(new SilentGuestError(`the first launch printed nothing on either serial line within ${timeoutMs} ms`)),
        timeoutMs,
      );
      qemu.console.on('data', heard);
      qemu.probe.on('data', heard);
      this.on('state', onState);
    });
  }

  private untilReady(timeoutMs: number): Promise<void> {
    const total = readyDeadlineMs(this.options);
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () =>
          reject(
            new Error(
              `the guest did not reach its shell within ${total} ms (bad kernel argument or a kernel that does not ` +
                `boot?)${consoleTail(this.consoleHistory())}`,
            ),
          ),
        timeoutMs,
      );
      const onState = (s: VmState, why?: string) => {
        if (s === 'crashed' || s === 'stopped') {
          clearTimeout(t);
          reject(new Error(`QEMU exited while booting: ${why ?? s}`));
        }
      };
      this.on('state', onState);
      void this.probe!.whenReady().then(() => {
        clearTimeout(t);
        this.off('state', onState);
        resolve();
      });
    });
  }

  /** QEMU's process id while it runs. */
  get pid(): number | undefined {
    return this.qemu?.pid;
  }

  /** What the console printed so far (the last 256 KiB). */
  consoleHistory(): Buffer {
    return Buffer.concat(this.consoleBacklog);
  }

  /** The lab's own words shown beside the guest's output: kept in the history a viewer that attaches later replays. */
  recordConsole(text: string): void {
    this.keep(Buffer.from(text, 'utf8'));
  }

  private keep(d: Buffer): void {
    this.consoleBacklog.push(d);
    this.consoleBytes += d.length;
    while (this.consoleBytes > CONSOLE_BACKLOG && this.consoleBacklog.length > 1)
      this.consoleBytes -= this.consoleBacklog.shift()!.length;
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
      if (this.probe?.ready) await this.probe.run('sync', 2000, false).catch(() => undefined);
      await this.qmp?.execute('quit', undefined, deadlineMs).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), deadlineMs)));
      const inTime = await Promise.race([gone, late]);
      clearTimeout(timer);
      if (!inTime) q.kill();
      await q.exited;
    }
    await rm(this.runDir, { recursive: true, force: true });
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
