// What a test must find after every fault: no QEMU of ours, no runtime folder, no socket, no RAM file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll } from 'vitest';

/** The bounded form runs in npm test; --long (PMEM_LAB_LONG=1) runs the full counts. */
export const LONG = process.env.PMEM_LAB_LONG === '1';

const SHM_PREFIX = '/dev/shm/pmem-lab-rel-';
// tmpfs is memory: the file that isolated its runtime leaves no folder there, not even an empty one
afterAll(() => {
  const shm = process.env.PMEM_LAB_SHM;
  if (shm?.startsWith(SHM_PREFIX)) rmSync(shm, { recursive: true, force: true });
});

/** A private runtime root for this file's guests, so leftovers are ours to count. */
export function isolateRuntime(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-rel-'));
  process.env.PMEM_LAB_RUN = join(dir, 'run');
  process.env.PMEM_LAB_DATA = join(dir, 'data');
  process.env.PMEM_LAB_SHM = mkdtempSync(SHM_PREFIX);
  return dir;
}

export async function qemuPids(): Promise<number[]> {
  const r = await execa('pgrep', ['-f', `qemu-system-x86_64 .*${process.env.PMEM_LAB_RUN}`], { reject: false });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

const entries = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/**
 * Runtime folders still there: one per VM holding its sockets and temporary images, and one per checkpointed
 * VM holding its RAM files on tmpfs until QEMU has opened them (`ram/ID`).
 */
export function runtimeLeftovers(): string[] {
  return [...entries(process.env.PMEM_LAB_RUN!), ...entries(process.env.PMEM_LAB_SHM!).map((d) => `ram/${d}`)];
}

export async function leaks(): Promise<{ qemu: number[]; runtime: string[] }> {
  return { qemu: await qemuPids(), runtime: runtimeLeftovers() };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

export const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Settles within `ms`, or says it did not: a promise left pending is a failure. */
export function settlesWithin<T>(p: Promise<T>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  return Promise.race([
    p.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms)),
  ]);
}
