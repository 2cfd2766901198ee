// One build per key: a second one waits for the first; a lock or a tmp folder
// left by a process that is gone is taken over or removed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, removeAbandoned } from '../../../src-main/kernel-build/lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmem-lab-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const r = await execa('sh', ['-c', 'echo $$']);
  return Number(r.stdout);
}

describe('the build lock', () => {
  it('holds the pid, and is gone once released', async () => {
    const path = join(dir, 'hmm-0123.lock');
    const release = await acquireLock(path);
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    await release();
    expect(existsSync(path)).toBe(false);
  });

  it('makes a second taker wait, saying who holds it, until the first releases', async () => {
    const path = join(dir, 'k.lock');
    const release = await acquireLock(path);
    const waits: number[] = [];
    let got = false;
    const second = acquireLock(path, { pollMs: 20, onWait: (pid) => waits.push(pid) }).then((r) => {
      got = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBe(false);
    expect(waits).toEqual([process.pid]);
    await release();
    await (
      await second
    )();
    expect(waits).toEqual([process.pid]); // said once
  });

  it('takes over the lock of a process that is gone, without waiting', async () => {
    const path = join(dir, 'k.lock');
    writeFileSync(path, String(await deadPid()));
    const waits: number[] = [];
    await acquireLock(path, { onWait: (pid) => waits.push(pid) });
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    expect(waits).toEqual([]);
  });

  it('stops waiting when aborted', async () => {
    const path = join(dir, 'k.lock');
    await acquireLock(path);
    const abort = new AbortController();
    const waiting = acquireLock(path, { pollMs: 20, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("removes the tmp folders of processes that are gone, and keeps live ones'", async () => {
    const gone = join(dir, `hmm-0123.tmp.${await deadPid()}`);
    const live = join(dir, `hmm-4567.tmp.${process.pid}`);
    for (const d of [gone, live, join(dir, 'hmm-89ab')]) mkdirSync(d);
    await removeAbandoned(dir);
    expect([gone, live, join(dir, 'hmm-89ab')].map(existsSync)).toEqual([false, true, true]);
    await removeAbandoned(join(dir, 'absent'));
  });
});
