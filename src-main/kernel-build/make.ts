// One make run in a kernel tree: every line of its output appended to the
// build's log and handed to the caller (progress, kconfig's warnings), its
// whole process group stopped when the build is aborted.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { execa } from 'execa';

export interface MakeOptions {
  /** the source tree (make -C) */
  src: string;
  args: readonly string[];
  log: string;
  env?: Record<string, string>;
  signal?: AbortSignal | undefined;
  onLine?: (line: string) => void;
}

/** make's own SIGTERM handling deletes the targets it was writing; a make that ignores it is killed after this. */
const KILL_AFTER_MS = 10_000;
const TAIL_LINES = 25;

export class MakeError extends Error {}

export async function runMake(o: MakeOptions): Promise<void> {
  o.signal?.throwIfAborted();
  const log = createWriteStream(o.log, { flags: 'a' });
  log.write(`\n$ make -C ${o.src} ${o.args.join(' ')}\n`);
  const child = execa('make', ['-C', o.src, ...o.args], {
    // its own process group, so an abort reaches every compiler it started (-jN)
    detached: true,
    cleanup: true,
    stdin: 'ignore',
    all: true,
    buffer: false,
    reject: false,
    env: { LC_ALL: 'C', ...o.env },
  });
  let killer: NodeJS.Timeout | undefined;
  const stop = () => {
    const group = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    group('SIGTERM');
    killer = setTimeout(() => group('SIGKILL'), KILL_AFTER_MS);
  };
  o.signal?.addEventListener('abort', stop, { once: true });
  const tail: string[] = [];
  try {
    for await (const line of createInterface({ input: child.all })) {
      log.write(`${line}\n`);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      o.onLine?.(line);
    }
    const r = await child;
    o.signal?.throwIfAborted();
    if (r.exitCode !== 0)
      throw new MakeError(
        `make ${o.args.filter((a) => !a.includes('=') && !a.startsWith('-')).join(' ')} failed ` +
          `(${r.signal ?? `exit status ${r.exitCode}`}); the end of ${o.log}:\n${tail.map((l) => `  ${l}`).join('\n')}`,
      );
  } finally {
    o.signal?.removeEventListener('abort', stop);
    clearTimeout(killer);
    log.end();
    await once(log, 'close');
  }
}
