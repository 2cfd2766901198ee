// Boot checkpoints for one guest: the key of a boot, finding a usable checkpoint for it, putting its files in
// the runtime folder before QEMU starts, and saving a guest that just reached its prompt.
import { execa } from 'execa';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '../../src-shared/profile/schema';
import type { QmpClient } from '../qemu/qmp';
import { qemuBinary } from '../qemu/launcher';
import { checkpointKey, type CheckpointKey } from './key';
import { qemuVersion } from '../qemu/version';
import { saveStream } from './stream';
import {
  checkpointsRoot,
  commit,
  consolePath,
  evict,
  filesDir,
  ramDir,
  readMeta,
  stagingDir,
  statePath,
  touch,
  type CheckpointMeta,
} from './store';

/** How a guest came up, shown wherever the boot is reported. */
export interface CheckpointUse {
  from: 'checkpoint' | 'cold';
  key?: string;
  /** why a cold boot did not restore, or why its checkpoint was not saved */
  why?: string;
  /** a cold boot that saved its checkpoint: its size and the time the save took */
  saved?: { bytes: number; ms: number };
}

/**
 * Above this much RAM a checkpoint costs more than the boot it saves: the struct pages alone, which the guest
 * writes at boot and the checkpoint copies, are 1/64 of it.
 */
export const MAX_CHECKPOINT_RAM = 16 * 1024 ** 3;

/**
 * Why a profile gets no checkpoint, or undefined. CXL: QEMU 7.2 restores the guest, but not what the guest set
 * in the CXL component registers: on a restored q35-cxl-pmem, `cxl create-region` failed with "failed to commit
 * decode: Connection timed out" where the cold boot commits (docs/architecture.md "Checkpoints").
 */
export function notCheckpointable(profile: Profile): string | undefined {
  if (profile.cxl)
    return 'QEMU 7.2 does not restore CXL component registers (a restored guest cannot commit a decoder)';
  const ram = profile.memory.size + profile.virtioMem.reduce((n, d) => n + d.size, 0);
  if (ram > MAX_CHECKPOINT_RAM) return `its ${ram / 1024 ** 3} GiB of RAM is more than a checkpoint pays for (16 GiB)`;
  return undefined;
}

export async function bootKey(inputs: {
  profile: Profile;
  kit: { hash: string; kernel: string; initrd: string };
  argv: string[];
  runDir: string;
  ramDir: string;
  nvdimmFiles: Record<string, string>;
}): Promise<CheckpointKey> {
  const binary = await qemuBinary();
  const { profile, kit } = inputs;
  return checkpointKey({
    kitHash: kit.hash,
    kernel: kit.kernel,
    initrd: kit.initrd,
    qemuBinary: binary,
    qemuVersion: await qemuVersion(binary),
    argv: inputs.argv,
    runDir: inputs.runDir,
    ramDir: inputs.ramDir,
    persistentImages: profile.nvdimms.filter((d) => d.backing === 'persistent').map((d) => inputs.nvdimmFiles[d.id]!),
  });
}

export interface FoundCheckpoint {
  dir: string;
  meta: CheckpointMeta;
}

/** The usable checkpoint for `key`, or why there is none. An unusable one is removed, so this boot can save anew. */
export async function findCheckpoint(key: string, root = checkpointsRoot()): Promise<FoundCheckpoint | string> {
  const dir = join(root, key);
  const meta = await readMeta(dir, key);
  if (typeof meta !== 'string') {
    await touch(dir);
    return { dir, meta };
  }
  if (!meta.startsWith('no checkpoint')) await rm(dir, { recursive: true, force: true });
  return meta;
}

/** Sparse copies: a 1 GiB NVDIMM file that holds a few labels costs a few blocks. */
async function copySparse(from: string, to: string): Promise<void> {
  const cp = await execa('cp', ['--sparse=always', '--', from, to], { reject: false });
  // cp's own last word says what went wrong ("No space left on device"), in one line
  if (cp.exitCode !== 0) throw new Error(cp.stderr.trim().split('\n').at(-1) || `cp exited with ${cp.exitCode}`);
}

/** Puts the checkpoint's copies of the backing files (NVDIMM and CXL images, file backends) where QEMU opens them. */
export async function placeFiles(found: FoundCheckpoint, runDir: string): Promise<void> {
  await Promise.all(
    Object.keys(found.meta.files).map((f) => copySparse(join(filesDir(found.dir), f), join(runDir, f))),
  );
}

/**
 * Copies the checkpoint's RAM into the RAM files QEMU holds (`held`: backend id -> its /proc/PID/fd path), once
 * QEMU has realized its devices and before the stream loads: QEMU 7.2's virtio-mem discards its whole backend
 * at realize, incoming migration or not (hw/virtio/virtio-mem.c virtio_mem_device_realize; QEMU 8.1 skips that
 * for an incoming guest), so RAM placed before QEMU starts is gone for a virtio-mem device. A backend the
 * checkpoint has no RAM for would start empty: that is an error.
 */
export async function placeRam(found: FoundCheckpoint, held: Record<string, string>): Promise<void> {
  const missing = Object.keys(held).filter((id) => !(id in found.meta.ram));
  if (missing.length) throw new Error(`it holds no RAM for backend ${missing.join(', ')}`);
  // cp truncates the file before it writes: QEMU, paused for the stream, does not touch the RAM meanwhile
  await Promise.all(Object.entries(held).map(([id, path]) => copySparse(join(ramDir(found.dir), id), path)));
}

export interface SaveInputs {
  qmp: QmpClient;
  runDir: string;
  /** the guest's RAM files by backend id, as QEMU holds them (ram-files.ts adoptRamFiles) */
  ram: Record<string, string>;
  key: CheckpointKey;
  profile: string;
  /**
   * The console so far, read while the guest is paused and after its stream: a byte the guest wrote before the
   * pause is then in the screen, and one it had not yet written is in the state. Read before the pause, output
   * of the moment in between (often the first prompt) is in neither, and a restored screen lacks it.
   */
  console: () => Buffer;
  timeoutMs: number;
  root?: string;
  /** keep all checkpoints under their bound afterwards (default true; a session's own are bounded by count) */
  evict?: boolean;
}

/**
 * Saves a guest at its prompt: pause, the stream, copies of the backing files and the RAM (still paused, so
 * they match the stream), resume. The guest runs on whatever happens to the save.
 */
export async function saveCheckpoint(inputs: SaveInputs): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  const root = inputs.root ?? checkpointsRoot();
  const staged = await stagingDir(root);
  const files: Record<string, { bytes: number }> = {};
  const ram: Record<string, { bytes: number }> = {};
  let state;
  let screen: Buffer;
  try {
    await inputs.qmp.execute('stop');
    try {
      state = await saveStream(inputs.qmp, join(inputs.runDir, 'save.sock'), statePath(staged), inputs.timeoutMs);
      screen = inputs.console();
      // the backing files: the profile's NVDIMM and CXL images and hot-added file backends (not sockets)
      for (const e of await readdir(inputs.runDir, { withFileTypes: true })) {
        if (!e.isFile() || e.name === 'owner') continue;
        await copySparse(join(inputs.runDir, e.name), join(filesDir(staged), e.name));
        files[e.name] = { bytes: (await stat(join(inputs.runDir, e.name))).size };
      }
      // the RAM the stream left out: only the pages the guest touched take room
      for (const [id, path] of Object.entries(inputs.ram)) {
        await copySparse(path, join(ramDir(staged), id));
        ram[id] = { bytes: (await stat(path)).size };
      }
    } finally {
      await inputs.qmp.execute('cont').catch(() => undefined);
    }
    await writeFile(consolePath(staged), screen);
    const saveMs = Math.round(performance.now() - t0);
    const meta: CheckpointMeta = {
      format: inputs.key.parts.format as number,
      key: inputs.key.key,
      profile: inputs.profile,
      created: new Date().toISOString(),
      state,
      files,
      ram,
      parts: inputs.key.parts,
      saveMs,
    };
    // meta.json last: a folder without it is never read as a checkpoint
    await writeFile(join(staged, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  } catch (e) {
    await rm(staged, { recursive: true, force: true });
    throw e;
  }
  // another session may have saved the same key meanwhile: either copy will do
  await commit(staged, inputs.key.key, root);
  if (inputs.evict !== false) await evict(undefined, inputs.key.key, root);
  return { bytes: state.bytes, ms: Math.round(performance.now() - t0) };
}
