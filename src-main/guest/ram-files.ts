// Guest RAM as shared files on tmpfs, for the guests whose checkpoints are kept. QEMU's migration skips shared
// memory (x-ignore-shared), so a checkpoint saves the RAM as a sparse copy of these files, which holds only the
// pages the guest touched, instead of streaming it: QEMU 7.2 reads every page of private RAM to stream it, and a
// host that allocates on read (docs/reliability.md) then pays for the whole guest. A restore copies the pages
// back once QEMU holds the files (checkpoint/guest.ts placeRam). The files are unlinked as soon as QEMU has
// opened them, so a QEMU that dies takes its RAM with it; a folder left by a backend killed in between is swept
// like a runtime folder (run-dirs.ts).
import { mkdir, readdir, readlink, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { bootBackends, nvdimmBackendId } from '../../src-shared/profile/backends';
import type { Profile } from '../../src-shared/profile/schema';
import { claimRunDir, sweepStaleRunDirs } from './run-dirs';

/** Where the RAM files live: tmpfs, so the guest's RAM is memory; PMEM_LAB_SHM sets another. */
export function ramRoot(): string {
  return process.env.PMEM_LAB_SHM ?? join('/dev/shm', `pmem-lab-${process.getuid?.() ?? 0}`);
}

export interface RamFiles {
  dir: string;
  /** backend id -> the file QEMU maps (the boot's RAM, each NUMA node's, each virtio-mem device's) */
  files: Record<string, string>;
}

/** The RAM backends of a profile (not its NVDIMMs, whose files are the devices' own) and their sizes. */
export function ramBackends(profile: Profile): Map<string, number> {
  const nvdimms = new Set(profile.nvdimms.map((d) => nvdimmBackendId(d.id)));
  return new Map([...bootBackends(profile)].filter(([id]) => !nvdimms.has(id)));
}

/**
 * A folder for VM `vmId`'s RAM files, or why the guest cannot have them: tmpfs must hold all of its RAM, for a
 * guest that touches more than tmpfs has left is killed by SIGBUS. `saved`: a restore's checkpoint's RAM, which
 * adds the backends hot-added before it was saved (hot-ram.ts).
 */
export async function prepareRamFiles(
  profile: Profile,
  vmId: string,
  saved: Record<string, { bytes: number }> = {},
): Promise<RamFiles | string> {
  const backends = ramBackends(profile);
  for (const [id, { bytes }] of Object.entries(saved)) if (!backends.has(id)) backends.set(id, bytes);
  return prepareRamDir(backends, vmId);
}

/**
 * The folder and files for `backends` (id -> bytes), or why tmpfs cannot hold them with `growth` more bytes: what
 * the guest's other RAM files may still take.
 */
export async function prepareRamDir(
  backends: Map<string, number>,
  vmId: string,
  growth = 0,
): Promise<RamFiles | string> {
  const root = ramRoot();
  const need = [...backends.values()].reduce((a, b) => a + b, growth);
  await sweepStaleRunDirs(root);
  await mkdir(root, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const fs = await statfs(root).catch(() => undefined);
  if (!fs) return `${root} cannot be created for its RAM`;
  const free = fs.bavail * fs.bsize;
  const mib = (bytes: number) => Math.floor(bytes / 2 ** 20);
  if (free < need) return `${root} has ${mib(free)} MiB free, less than its ${mib(need)} MiB of RAM`;
  const dir = join(root, vmId);
  await mkdir(dir, { mode: 0o700 });
  await claimRunDir(dir);
  return { dir, files: Object.fromEntries([...backends.keys()].map((id) => [id, join(dir, id)])) };
}

/** A memory-backend-ram's QMP or -object arguments as a shared file backend on `path`, the same RAM to the guest. */
export function asRamFile(args: Record<string, unknown>, path: string): Record<string, unknown> {
  return { ...args, 'qom-type': 'memory-backend-file', 'mem-path': path, share: true };
}

/** The unlinked RAM files process `pid` holds: each file's former path -> the /proc path that reaches it. */
export async function heldRamFiles(pid: number): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (link.startsWith(ramRoot()) && link.endsWith(' (deleted)'))
      held.set(link.slice(0, -' (deleted)'.length), `/proc/${pid}/fd/${fd}`);
  }
  return held;
}

/**
 * Unlinks the files once QEMU holds them (it opens every backend before its monitor answers) and returns,
 * per backend, a path that reads and writes QEMU's file: its descriptor under /proc.
 */
export async function adoptRamFiles(ram: RamFiles, pid: number): Promise<Record<string, string>> {
  await rm(ram.dir, { recursive: true, force: true });
  const held = await heldRamFiles(pid);
  const out: Record<string, string> = {};
  for (const [id, path] of Object.entries(ram.files)) {
    const fd = held.get(path);
    if (fd !== undefined) out[id] = fd;
  }
  const missing = Object.keys(ram.files).filter((id) => !(id in out));
  if (missing.length) throw new Error(`QEMU holds no file for RAM backend ${missing.join(', ')}`);
  return out;
}

/** What RAM files may still take from tmpfs: their sizes less the pages the guest has touched. */
export async function ramGrowth(paths: string[]): Promise<number> {
  const sizes = await Promise.all(paths.map((p) => stat(p).then((s) => Math.max(0, s.size - s.blocks * 512))));
  return sizes.reduce((a, b) => a + b, 0);
}
