// The migration stream between QEMU and a checkpoint file. Saving, QEMU writes to a unix socket we listen on in
// the VM's runtime folder, and the sha256 is computed as the bytes pass. Restoring, QEMU reads the file and we
// sum it alongside, so a restore checks the stream it loaded before the guest runs a single instruction (the
// saved guest was paused, so the loaded one stays paused until we resume it).
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import type { QmpClient } from '../qemu/qmp';

/** Shared memory (NVDIMM and CXL files) is not in the stream: the checkpoint keeps sparse copies of the files. */
const CAPABILITIES = [{ capability: 'x-ignore-shared', state: true }];
/** QEMU's default bandwidth cap (32 MiB/s) is for networks; a file takes whatever QEMU can write. */
const PARAMETERS = { 'max-bandwidth': 64 * 1024 ** 3 };
const POLL_MS = 5;

export interface StreamResult {
  sha256: string;
  bytes: number;
}

function hashing(): { pass: Transform; result: () => StreamResult } {
  const hash = createHash('sha256');
  let bytes = 0;
  const pass = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { pass, result: () => ({ sha256: hash.digest('hex'), bytes }) };
}

async function untilMigrated(qmp: QmpClient, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const s = await qmp.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
    if (s.status === 'completed') return;
    if (s.status === 'failed' || s.status === 'cancelled')
      throw new Error(`QEMU's ${what} ${s.status}${s['error-desc'] ? `: ${s['error-desc']}` : ''}`);
    if (performance.now() > deadline) throw new Error(`QEMU's ${what} did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Saves a paused guest's state to `file`; the guest stays paused (the caller resumes it). */
export async function saveStream(
  qmp: QmpClient,
  socketPath: string,
  file: string,
  timeoutMs: number,
): Promise<StreamResult> {
  await qmp.execute('migrate-set-capabilities', { capabilities: CAPABILITIES });
  await qmp.execute('migrate-set-parameters', PARAMETERS);
  const { pass, result } = hashing();
  let conn: Socket | undefined;
  const server = createServer();
  const received = new Promise<void>((resolve, reject) => {
    server.once('connection', (s) => {
      conn = s;
      pipeline(s, pass, createWriteStream(file, { mode: 0o600 })).then(resolve, reject);
    });
    server.once('error', reject);
  });
  await new Promise<void>((resolve, reject) => server.listen(socketPath, resolve).once('error', reject));
  try {
    await qmp.execute('migrate', { uri: `unix:${socketPath}` });
    await Promise.all([untilMigrated(qmp, timeoutMs, 'save'), received]);
    return result();
  } catch (e) {
    conn?.destroy();
    await qmp.execute('migrate_cancel').catch(() => undefined);
    throw e;
  } finally {
    server.close();
  }
}

/** One word for /bin/sh, whatever the path holds. */
export function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Loads `file` into a QEMU started with `-incoming defer`. QEMU reads the file through `cat` (its `exec:`
 * transport, the fastest QEMU 7.2 has: a third faster than a socket fed by us) while we sum the same file on the
 * other core. Throws when the sum is not `expected`: the guest then never ran, and the caller throws this QEMU
 * away.
 */
export async function loadStream(
  qmp: QmpClient,
  file: string,
  expected: StreamResult,
  timeoutMs: number,
): Promise<void> {
  await qmp.execute('migrate-set-capabilities', { capabilities: CAPABILITIES });
  await qmp.execute('migrate-incoming', { uri: `exec:exec cat ${shellWord(file)}` });
  const { pass, result } = hashing();
  const summed = pipeline(createReadStream(file), pass, new Writable({ write: (_c, _e, done) => done() }));
  await Promise.all([summed, untilMigrated(qmp, timeoutMs, 'restore')]);
  const got = result();
  if (got.sha256 !== expected.sha256 || got.bytes !== expected.bytes)
    throw new Error(`its state.bin does not match its checksum (${got.bytes} bytes read; corrupt)`);
}
