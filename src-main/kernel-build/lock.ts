// One build per cache key at a time: a lock file holding the builder's pid,
// created whole with link(2) (which fails when the name exists), so a second
// build of the same key waits for the first and then finds its result.
import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface LockOptions {
  signal?: AbortSignal | undefined;
  /** called once, when another live process holds the lock */
  onWait?: (holder: number) => void;
  pollMs?: number;
}

/** Waits until this process holds the lock at `path`; returns its release. A dead holder's lock is taken over. */
export async function acquireLock(path: string, o: LockOptions = {}): Promise<() => Promise<void>> {
  const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`; // two builds in one process too
  let told = false;
  for (;;) {
    o.signal?.throwIfAborted();
    await writeFile(mine, String(process.pid));
    try {
      await link(mine, path);
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await rm(mine, { force: true });
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    const holder = Number(text);
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      // Taken over only if it is still the dead holder's file, not one a third process just made.
      if ((await readFile(path, 'utf8').catch(() => undefined)) === text) await rm(path, { force: true });
      continue;
    }
    if (!told) o.onWait?.(holder);
    told = true;
    await sleep(o.pollMs ?? 2000, undefined, o.signal ? { signal: o.signal } : {});
  }
}

/** What a killed build left in `root` (NAME.tmp.PID of a PID that is gone): a source tree or a result, large. */
export async function removeAbandoned(root: string): Promise<void> {
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const pid = /\.tmp\.(\d+)$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) await rm(join(root, name), { recursive: true, force: true });
  }
}
