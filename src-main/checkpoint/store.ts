// Checkpoints on disk: DATA/checkpoints/KEY/ holds meta.json, the migration stream (state.bin), the console as
// it stood (console.bin), sparse copies of the runtime folder's backing files (files/) and of the guest's RAM
// files (ram/, which the stream leaves out: guest/ram-files.ts). A checkpoint is
// written into a temporary folder and renamed into place whole, so a reader never sees a partial one; a
// folder that fails any check is never used. Disk use is bounded: the least recently used go first.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { dataDir } from '../util/paths';
import { CHECKPOINT_FORMAT } from './key';

export interface CheckpointMeta {
  format: number;
  key: string;
  profile: string;
  created: string;
  /** sha256 and size of the migration stream */
  state: { sha256: string; bytes: number };
  /** backing files of the runtime folder, by name, with the size of their data */
  files: Record<string, { bytes: number }>;
  /** the guest's RAM files, by backend id, with their size */
  ram: Record<string, { bytes: number }>;
  parts: Record<string, unknown>;
  saveMs: number;
}

export interface CheckpointEntry {
  dir: string;
  meta: CheckpointMeta;
  /** bytes the folder takes on disk (sparse files count what they hold) */
  diskBytes: number;
  lastUsed: Date;
}

/** Default bound on all checkpoints together; PMEM_LAB_CHECKPOINT_BYTES sets another. */
const DEFAULT_MAX_BYTES = 8 * 1024 ** 3;

/** DATA/checkpoints, or PMEM_LAB_CHECKPOINTS (another disk, or a test's own store). */
export function checkpointsRoot(): string {
  return process.env.PMEM_LAB_CHECKPOINTS ?? join(dataDir(), 'checkpoints');
}

export function maxCheckpointBytes(): number {
  const v = Number(process.env.PMEM_LAB_CHECKPOINT_BYTES);
  return Number.isFinite(v) && v >= 0 && process.env.PMEM_LAB_CHECKPOINT_BYTES ? v : DEFAULT_MAX_BYTES;
}

export const statePath = (dir: string) => join(dir, 'state.bin');
export const consolePath = (dir: string) => join(dir, 'console.bin');
export const filesDir = (dir: string) => join(dir, 'files');
export const ramDir = (dir: string) => join(dir, 'ram');
const metaPath = (dir: string) => join(dir, 'meta.json');
const isKey = (name: string) => /^[0-9a-f]{32}$/.test(name);

/** A fresh folder to write a checkpoint into; `commit` moves it into place. */
export async function stagingDir(root = checkpointsRoot()): Promise<string> {
  const dir = join(root, `.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(filesDir(dir), { recursive: true, mode: 0o700 });
  await mkdir(ramDir(dir), { mode: 0o700 });
  return dir;
}

/**
 * Moves a written checkpoint into place. Another session may have saved the same key meanwhile: theirs stays,
 * ours goes. Returns the final folder, or undefined when ours was dropped.
 */
export async function commit(staged: string, key: string, root = checkpointsRoot()): Promise<string | undefined> {
  const dir = join(root, key);
  try {
    await rename(staged, dir);
    return dir;
  } catch {
    await rm(staged, { recursive: true, force: true });
    return undefined;
  }
}

/** Why the checkpoint in `dir` cannot be used for `key`, or its meta (the stream's sum is checked as it is read). */
export async function readMeta(dir: string, key: string): Promise<CheckpointMeta | string> {
  const text = await readFile(metaPath(dir), 'utf8').catch(() => undefined);
  if (text === undefined) return 'no checkpoint for this boot yet';
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(text) as CheckpointMeta;
  } catch {
    return 'its meta.json is not JSON (corrupt)';
  }
  if (meta.format !== CHECKPOINT_FORMAT)
    return `it was written in format ${meta.format}, this lab reads ${CHECKPOINT_FORMAT}`;
  if (meta.key !== key) return 'its key does not match the folder it is in (corrupt)';
  const size = await stat(statePath(dir)).then(
    (s) => s.size,
    () => -1,
  );
  if (size !== meta.state.bytes)
    return `its state.bin holds ${size < 0 ? 'nothing' : `${size} bytes`} instead of ${meta.state.bytes} (truncated)`;
  for (const [name, f] of Object.entries(meta.files)) {
    const s = await stat(join(filesDir(dir), name)).catch(() => undefined);
    if (!s || s.size !== f.bytes) return `its copy of ${name} is missing or has the wrong size`;
  }
  if (typeof meta.ram !== 'object' || meta.ram === null) return 'its meta.json lists no RAM files (corrupt)';
  for (const [id, f] of Object.entries(meta.ram)) {
    const s = await stat(join(ramDir(dir), id)).catch(() => undefined);
    if (!s || s.size !== f.bytes) return `its copy of RAM backend ${id} is missing or has the wrong size`;
  }
  return meta;
}

/** Marks a checkpoint used now (the eviction order). */
export async function touch(dir: string): Promise<void> {
  const now = new Date();
  await utimes(metaPath(dir), now, now).catch(() => undefined);
}

export async function listCheckpoints(root = checkpointsRoot()): Promise<CheckpointEntry[]> {
  const out: CheckpointEntry[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!isKey(name)) continue;
    const dir = join(root, name);
    const meta = await readMeta(dir, name);
    const s = await stat(metaPath(dir)).catch(() => undefined);
    out.push({
      dir,
      meta: typeof meta === 'string' ? brokenMeta(name, meta) : meta,
      diskBytes: await diskUsage(dir),
      lastUsed: s?.mtime ?? new Date(0),
    });
  }
  return out.sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime());
}

function brokenMeta(key: string, why: string): CheckpointMeta {
  return {
    format: -1,
    key,
    profile: `(unusable: ${why})`,
    created: '',
    state: { sha256: '', bytes: 0 },
    files: {},
    ram: {},
    parts: {},
    saveMs: 0,
  };
}

/** Bytes a folder takes on disk, counting allocated blocks (so a sparse copy counts only its data). */
export async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!e.isFile()) continue;
    const s = await stat(join(e.parentPath ?? e.path, e.name)).catch(() => undefined);
    total += s ? s.blocks * 512 : 0;
  }
  return total;
}

/**
 * Removes the least recently used checkpoints until all of them fit in `maxBytes`; `keep` is never removed.
 * Also removes staging folders left by a process that died while saving. Returns the removed keys.
 */
export async function evict(
  maxBytes = maxCheckpointBytes(),
  keep?: string,
  root = checkpointsRoot(),
): Promise<string[]> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-')) continue;
    const s = await stat(join(root, name)).catch(() => undefined);
    // a save takes seconds; one older than an hour belongs to a process that is gone
    if (s && Date.now() - s.mtimeMs > 3600_000) await rm(join(root, name), { recursive: true, force: true });
  }
  const entries = await listCheckpoints(root);
  let total = entries.reduce((n, e) => n + e.diskBytes, 0);
  const removed: string[] = [];
  for (const e of [...entries].reverse()) {
    if (total <= maxBytes) break;
    if (e.meta.key === keep) continue;
    await rm(e.dir, { recursive: true, force: true });
    total -= e.diskBytes;
    removed.push(e.meta.key);
  }
  return removed;
}

/** Removes every checkpoint (all, or those of one profile); returns how many. */
export async function clearCheckpoints(profile?: string, root = checkpointsRoot()): Promise<number> {
  let n = 0;
  for (const e of await listCheckpoints(root)) {
    if (profile && e.meta.profile !== profile) continue;
    await rm(e.dir, { recursive: true, force: true });
    n++;
  }
  return n;
}
