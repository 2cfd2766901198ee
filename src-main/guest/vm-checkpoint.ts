// A Vm's side of boot checkpoints: restoring one instead of a cold boot, and saving one after a cold boot.
import { readFile } from 'node:fs/promises';
import {
  bootKey,
  findCheckpoint,
  notCheckpointable,
  placeFiles,
  placeRam,
  saveCheckpoint,
  type FoundCheckpoint,
} from '../checkpoint/guest';
import type { CheckpointKey } from '../checkpoint/key';
import { consolePath, statePath } from '../checkpoint/store';
import { loadStream } from '../checkpoint/stream';
import { lastLines } from '../qemu/launcher';
import { prepareRamFiles, type RamFiles } from './ram-files';
import type { Vm, VmOptions } from './vm';

/**
 * A restore that did not bring the guest up; the boot goes on cold and says why. `dir` is the checkpoint when
 * it is at fault (a stream QEMU refused or whose sum is wrong), so that it is removed and saved anew; a QEMU
 * killed from outside says nothing about it.
 */
export class RestoreError extends Error {
  constructor(
    message: string,
    readonly dir: string | undefined,
    options: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A restore gets this long at most, whatever the boot's deadline: a cold boot is the fallback. */
const RESTORE_TIMEOUT_MS = 60_000;

/**
 * Starts QEMU waiting for a stream, loads the checkpoint (its sum checked before the guest runs), resumes it,
 * and waits for the agent's answer. The console shows what it showed when the checkpoint was saved.
 */
export async function restoreCheckpoint(vm: Vm, found: FoundCheckpoint, readyTimeoutMs: number): Promise<void> {
  const timeoutMs = Math.min(readyTimeoutMs, RESTORE_TIMEOUT_MS);
  try {
    await placeFiles(found, vm.runDir);
    vm.keep(await readFile(consolePath(found.dir)));
    await vm.launch(['-incoming', 'defer']);
    await vm.qmpReady;
    await placeRam(found, vm.ram?.held ?? {});
    await loadStream(vm.qmp!, statePath(found.dir), found.meta.state, timeoutMs);
    await vm.qmp!.execute('cont');
    await vm.probe!.untilAnswering(timeoutMs);
  } catch (e) {
    // stopped by its user: the boot ends here, with no cold boot after it and the checkpoint kept
    if (vm.stopRequested) throw new Error('the guest was stopped while its checkpoint was restored', { cause: e });
    const exit = await vm.exitStatus();
    const killed = exit?.signal !== null && exit?.signal !== undefined;
    const why = exit && !killed ? `QEMU exited: ${lastLines(exit.stderr, 2)}` : (e as Error).message;
    throw new RestoreError(`its checkpoint did not restore (${why})`, killed ? undefined : found.dir, { cause: e });
  }
}

/**
 * The RAM files of a boot that keeps checkpoints, or of a restore whose checkpoint holds its RAM (ram-files.ts);
 * why a boot that would keep them cannot have them; or undefined where the RAM stays private memory.
 */
export async function ramFilesFor(options: VmOptions, vmId: string): Promise<RamFiles | string | undefined> {
  const from = options.restoreFrom;
  const keep = from ? Object.keys(from.found.meta.ram).length > 0 : options.checkpoint !== 'cold';
  if (!keep || notCheckpointable(options.profile)) return undefined;
  const ram = await prepareRamFiles(options.profile, vmId, from?.found.meta.ram);
  if (typeof ram === 'string' && from) throw new Error(`the guest cannot be restored: ${ram}`);
  return ram;
}

/** Keys a boot that keeps checkpoints and restores the key's checkpoint when there is one: whether it did. */
export async function fromBootCheckpoint(
  vm: Vm,
  nvdimmFiles: Record<string, string>,
  restore: boolean,
  readyTimeoutMs: number,
): Promise<boolean> {
  const { profile, kit } = vm.options;
  const key = await bootKey({ profile, kit, argv: vm.argv, runDir: vm.runDir, ramDir: vm.ram!.dir, nvdimmFiles });
  vm.key = key;
  const found = restore ? await findCheckpoint(key.key) : undefined;
  if (found && typeof found !== 'string') {
    await restoreCheckpoint(vm, found, readyTimeoutMs);
    vm.checkpoint = { from: 'checkpoint', key: key.key };
    return true;
  }
  vm.checkpoint = { from: 'cold', key: key.key, ...(found ? { why: found } : {}) };
  return false;
}

/** Saves the checkpoint of a guest that just booted cold; a failed save is said, never fatal. */
export async function saveBootCheckpoint(vm: Vm, key: CheckpointKey, timeoutMs: number): Promise<void> {
  try {
    const saved = await saveCheckpoint({
      qmp: vm.qmp!,
      runDir: vm.runDir,
      ram: vm.ram?.held ?? {},
      key,
      profile: vm.options.profile.name,
      console: () => vm.consoleHistory(),
      timeoutMs,
    });
    vm.checkpoint = { ...vm.checkpoint!, from: 'cold', saved };
  } catch (e) {
    const why = `its checkpoint was not saved (${(e as Error).message})`;
    vm.checkpoint = { ...vm.checkpoint!, from: 'cold', why: vm.checkpoint?.why ? `${vm.checkpoint.why}; ${why}` : why };
  }
}
