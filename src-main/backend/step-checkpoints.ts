// A session's checkpoints, one per timeline entry, so that the session can rewind to an entry or fork from it
// (issue 14). Entry 0 is the boot's own checkpoint; each step's is saved right after its entry, while the next
// step waits. They live in a folder of the session's own in the runtime root (owned, so a dead backend's are
// swept) and go with the session. A restore needs the devices hot-added by then on QEMU's command line, so the
// QMP steps that added or removed one are kept with the entry they belong to.
import { mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SessionInfo, TimelineEntry } from '../../src-shared/api/contract';
import type { Profile } from '../../src-shared/profile/schema';
import type { QmpCommand } from '../../src-shared/actions/qmp-allow';
import { findCheckpoint, notCheckpointable, saveCheckpoint } from '../checkpoint/guest';
import { checkpointsRoot } from '../checkpoint/store';
import { CHECKPOINT_FORMAT } from '../checkpoint/key';
import { claimRunDir } from '../guest/run-dirs';
import { asRamFile } from '../guest/ram-files';
import { Vm, type VmOptions } from '../guest/vm';
import { runtimeRoot } from '../util/paths';

/** A session keeps this many step checkpoints at most (about 120 MiB each for a 2 GiB guest); older ones go. */
const MAX_STEP_CHECKPOINTS = 24;

interface DeviceChange {
  n: number;
  kind: 'object' | 'device';
  id: string;
  /** the QMP arguments (without the id) that added it; absent: removed */
  args?: Record<string, unknown>;
  /** the runtime folder the arguments name files in */
  runDir: string;
}

/** A rewind to an entry without a checkpoint, or a branch that is not there. */
export class NoCheckpointError extends Error {}

/** Why a profile's sessions cannot rewind, or undefined. */
export function noRewind(profile: Profile): string | undefined {
  const why = notCheckpointable(profile);
  if (why) return why;
  if (profile.nvdimms.some((d) => d.backing === 'persistent'))
    return 'a persistent NVDIMM image would have to be written back to an earlier state';
  return undefined;
}

export class StepCheckpoints {
  /** why this session keeps no checkpoints, or undefined */
  readonly noRewind?: string;
  /** the timeline's tails a fork kept */
  private readonly branches: { id: number; from: number; entries: TimelineEntry[] }[] = [];
  private readonly dir: string;
  /** entry -> its checkpoint's folder */
  private readonly saved = new Map<number, string>();
  private changes: DeviceChange[] = [];

  constructor(sessionId: string, profile: Profile) {
    this.dir = join(runtimeRoot(), `session-${sessionId}`);
    const why = noRewind(profile);
    if (why) this.noRewind = why;
  }

  /** What the session's info says of them. */
  info(): Pick<SessionInfo, 'checkpoints' | 'noRewind' | 'branches'> {
    return {
      ...(this.noRewind ? { noRewind: this.noRewind } : { checkpoints: this.entries }),
      ...(this.branches.length
        ? { branches: this.branches.map((b) => ({ id: b.id, from: b.from, entries: b.entries.length })) }
        : {}),
    };
  }

  /** The entries the session can rewind to, in order. */
  get entries(): number[] {
    return [...this.saved.keys()].sort((a, b) => a - b);
  }

  /** Entry 0: the boot checkpoint the guest was restored from or saved (shared with every boot of the profile). */
  boot(vm: Vm): void {
    if (this.noRewind || !vm.checkpoint?.key || (vm.checkpoint.from === 'cold' && !vm.checkpoint.saved)) return;
    this.saved.set(0, join(checkpointsRoot(), vm.checkpoint.key));
  }

  /** A QMP step that succeeded: a device or backend it added or removed is remembered with entry `n`. */
  qmp(n: number, cmd: QmpCommand, runDir: string): void {
    const args = cmd.arguments ?? {};
    const id = typeof args.id === 'string' ? args.id : '';
    if (cmd.execute === 'object-add') this.changes.push({ n, kind: 'object', id, args, runDir });
    if (cmd.execute === 'device_add') this.changes.push({ n, kind: 'device', id, args, runDir });
    if (cmd.execute === 'object-del') this.changes.push({ n, kind: 'object', id, runDir });
    if (cmd.execute === 'device_del') this.changes.push({ n, kind: 'device', id, runDir });
  }

  /** Saves the guest as it is after `entry` (not after a failed snapshot): whether it did; throws if it cannot. */
  async step(entry: TimelineEntry, vm: Vm): Promise<boolean> {
    if (this.noRewind || entry.real?.error) return false;
    const n = entry.n;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await claimRunDir(this.dir);
    const key = `entry-${n}`;
    await rm(join(this.dir, key), { recursive: true, force: true });
    await saveCheckpoint({
      qmp: vm.qmp!,
      runDir: vm.runDir,
      ram: vm.ram?.held ?? {},
      key: { key, parts: { format: CHECKPOINT_FORMAT } },
      profile: vm.options.profile.name,
      console: () => vm.consoleHistory(),
      timeoutMs: 60_000,
      root: this.dir,
      evict: false,
    });
    this.saved.set(n, join(this.dir, key));
    const steps = this.entries.filter((e) => e > 0);
    if (steps.length > MAX_STEP_CHECKPOINTS) await this.drop(steps[0]!);
    return true;
  }

  /**
   * A new guest restored from entry `n`'s checkpoint, with the devices hot-added by then on QEMU's command line
   * (`options`: the running guest's).
   */
  async restore(n: number, options: VmOptions): Promise<Vm> {
    if (this.noRewind) throw new NoCheckpointError(`this session keeps no checkpoints: ${this.noRewind}`);
    const dir = this.saved.get(n);
    if (dir === undefined)
      throw new NoCheckpointError(`entry ${n} has no checkpoint (entries with one: ${this.entries.join(', ')})`);
    const found = await findCheckpoint(basename(dir), dirname(dir));
    if (typeof found === 'string') throw new NoCheckpointError(`entry ${n}'s checkpoint cannot be used: ${found}`);
    const live = this.devicesAt(n);
    const extraArgv = (runDir: string, ram: Record<string, string>) => live.flatMap((c) => deviceArgv(c, runDir, ram));
    const vm = await Vm.boot({ ...options, onLaunched: undefined, restoreFrom: { found, extraArgv } });
    // entry 0's checkpoint is the boot's, saved before the first snapshot read the boot's kernel messages
    if (n === 0) await vm.snapshot();
    return vm;
  }

  /** Devices and backends present after entry `n`, in the order they were added. */
  private devicesAt(n: number): DeviceChange[] {
    const live = new Map<string, DeviceChange>();
    for (const c of this.changes) {
      if (c.n > n) break;
      const k = `${c.kind}:${c.id}`;
      if (c.args) live.set(k, c);
      else live.delete(k);
    }
    return [...live.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'object' ? -1 : 1));
  }

  /** A rewind to `n` (a fork keeps `tail`, the entries after it, as a branch): what came after `n` is gone. */
  async cut(n: number, tail: TimelineEntry[], fork: boolean): Promise<void> {
    if (fork && tail.length) this.branches.push({ id: this.branches.length + 1, from: n, entries: tail });
    this.changes = this.changes.filter((c) => c.n <= n);
    for (const e of this.entries) if (e > n) await this.drop(e);
  }

  /** A branch a fork kept. */
  branch(id: number): TimelineEntry[] {
    const b = this.branches.find((x) => x.id === id);
    if (!b) throw new NoCheckpointError(`this session has no branch ${id}`);
    return b.entries;
  }

  private async drop(n: number): Promise<void> {
    const dir = this.saved.get(n);
    this.saved.delete(n);
    // entry 0's is the profile's boot checkpoint, kept for later boots
    if (dir?.startsWith(this.dir)) await rm(dir, { recursive: true, force: true });
  }

  async clear(): Promise<void> {
    this.saved.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * A hot-added backend or device as a command-line option (QEMU 7.2 takes JSON for -object and -device). A RAM
 * backend whose pages the checkpoint holds (`ram`: its file in the restored guest) is that file, as it was.
 */
function deviceArgv(c: DeviceChange, runDir: string, ram: Record<string, string>): string[] {
  const file = c.kind === 'object' ? ram[c.id] : undefined;
  const args = file ? asRamFile(c.args!, file) : c.args;
  // a file backend lives in the runtime folder, which the restored QEMU has anew
  const json = JSON.stringify({ ...args, id: c.id }, (_k, v: unknown) =>
    typeof v === 'string' ? v.split(c.runDir).join(runDir) : v,
  );
  return [c.kind === 'object' ? '-object' : '-device', json];
}
