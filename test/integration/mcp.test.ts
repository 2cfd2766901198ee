// pmem-lab mcp as an MCP client runs it: the SDK's own Client with its stdio transport spawning
// `node bin/pmem-lab.js mcp`, against a real guest. The client reports anything on the server's stdout that is not
// a protocol message as an error, so every test here also holds stdout to protocol messages only. The server gets
// its own checkpoint store (its first boot is cold, the next ones restore) and runtime folder, where the test
// looks for its QEMU processes.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';

const ROOT = join(import.meta.dirname, '../..');
const BOOTING = ['kit', 'qemu', 'firmware', 'kernel', 'init'];

let tmp: string;
let run: string;
const servers: Server[] = [];

interface Server {
  client: Client;
  transport: StdioClientTransport;
  /** what the client could not read as a protocol message, and other transport errors */
  errors: Error[];
  stderr: () => string;
}

async function startServer(): Promise<Server> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/pmem-lab.js', 'mcp'],
    cwd: ROOT,
    env: {
      PMEM_LAB_CHECKPOINTS: join(tmp, 'checkpoints'),
      PMEM_LAB_RUN: run,
      PMEM_LAB_CONFIG: join(tmp, 'config'),
    },
    stderr: 'pipe',
  });
  const err: string[] = [];
  transport.stderr!.on('data', (d: Buffer) => err.push(d.toString()));
  const client = new Client({ name: 'pmem-lab-test', version: '1' });
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  const s = { client, transport, errors, stderr: () => err.join('') };
  servers.push(s);
  return s;
}

/** QEMU processes started under this test's runtime folder. */
function qemus(): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
        return argv[0]!.includes('qemu-system') && argv.some((a) => a.includes(`${run}/`));
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const call = async (s: Server, name: string, args: Record<string, unknown>, onprogress?: (p: Progress) => void) =>
  (await s.client.callTool({ name, arguments: args }, undefined, {
    timeout: 170_000,
    ...(onprogress ? { onprogress } : {}),
  })) as CallToolResult;
const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
function ok<T = Record<string, unknown>>(r: CallToolResult): T {
  if (r.isError) throw new Error(`tool error: ${text(r)}`);
  return r.structuredContent as T;
}

interface Summary {
  n: number;
  agree: boolean;
  fidelity: { matched: number; total: number; byDimension: Record<string, { matched: number; total: number }> };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pmem-lab-mcp-'));
  run = join(tmp, 'run'); // short: QEMU's unix sockets live under it
  mkdirSync(run);
});
afterEach(() => {
  // nothing but protocol on stdout, at every point of every test
  for (const s of servers) expect(s.errors.map(String)).toEqual([]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.client.close()));
  for (const pid of qemus()) process.kill(pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describe('pmem-lab mcp over stdio', () => {
  let s: Server;
  let session: string;

  it('starts, says so on stderr, and lists its tools and resources', async () => {
    s = await startServer();
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['boot', 'step', 'compare', 'snapshot', 'stop']));
    const { resources } = await s.client.listResources();
    expect(resources.map((r) => r.uri)).toContain('pmem-lab://docs/model.md');
    expect(s.stderr()).toContain('pmem-lab mcp: serving on stdin/stdout');
  });

  it('boots a guest with progress, runs hotplug steps, reads the comparison and a snapshot, and stops it', async () => {
    const progress: Progress[] = [];
    const booted = ok<{ id: string; phase: string; boot: { from: string } }>(
      await call(s, 'boot', { profile: 'dimm-hotplug' }, (p) => progress.push(p)),
    );
    session = booted.id;
    expect(booted).toMatchObject({ phase: 'ready', boot: { from: 'cold' } });
    // a notification per phase reached, growing, the last one the guest ready
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({
      progress: 6,
      total: 6,
      message: expect.stringMatching(/^ready in \d+ ms/),
    });
    expect(qemus()).toHaveLength(1);

    const backend = { 'qom-type': 'memory-backend-ram', id: 'hp1', size: 512 * 2 ** 20 };
    ok(await call(s, 'step', { session, step: { qmp: { execute: 'object-add', arguments: backend } } }));
    const dimm = { driver: 'pc-dimm', id: 'dimm1', memdev: 'hp1' };
    const plugged = ok<Summary>(
      await call(s, 'step', { session, step: { qmp: { execute: 'device_add', arguments: dimm } } }),
    );
    expect(plugged).toMatchObject({ n: 2, agree: true, real: { exitCode: 0 }, model: { exitCode: 0 } });

    // outside the memory vocabulary: refused before QEMU sees it, naming the field; nothing enters the timeline
    const refused = await call(s, 'step', {
      session,
      step: { qmp: { execute: 'migrate', arguments: { uri: 'exec:true' } } },
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^step\.qmp\.execute: QMP migrate is refused/);

    const c = ok<Summary>(await call(s, 'compare', { session }));
    expect(c.n).toBe(2);
    expect(c.agree).toBe(true);
    for (const d of ['iomem', 'blocks', 'exit']) {
      expect(c.fidelity.byDimension[d]!.total, d).toBeGreaterThan(0);
      expect(c.fidelity.byDimension[d]!.matched, d).toBe(c.fidelity.byDimension[d]!.total);
    }
    expect(c.fidelity.matched).toBe(c.fidelity.total);

    const snap = ok<Summary & { snapshot: { iomem: string; memoryBlocks: { id: number; state: string }[] } }>(
      await call(s, 'snapshot', { session }),
    );
    expect(snap).toMatchObject({ n: 3, agree: true });
    expect(snap.snapshot.iomem).toContain('\n100000000-11fffffff : System RAM\n');
    expect(snap.snapshot.memoryBlocks.filter((b) => b.id >= 32 && b.id <= 35)).toHaveLength(4);

    const why = ok(await call(s, 'explain', { session, line: '100000000-11fffffff : System RAM' }));
    expect(why).toMatchObject({ line: { found: true, explanation: { source: expect.stringContaining('acpi') } } });
    const log = ok<{ captured: boolean; real: string[] }>(await call(s, 'kernel_log', { session, entry: 0 }));
    expect(log.captured).toBe(true);
    expect(log.real.some((m) => m.startsWith('Linux version'))).toBe(true);

    const report = join(tmp, 'dimm.html');
    ok(await call(s, 'export_report', { session, path: report }));
    expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>[\s\S]*device_add/);
    const onFolder = await call(s, 'export_report', { session, path: tmp, overwrite: true });
    expect(text(onFolder)).toMatch(/^path: .* is a folder, and a report never replaces a folder/);

    expect(ok(await call(s, 'stop', { session }))).toMatchObject({ phase: 'stopped' });
    expect(qemus()).toEqual([]);
    expect(readdirSync(run).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('refuses an invalid profile field, naming it, without booting', async () => {
    const r = await call(s, 'boot', { profile: { name: 'x', memory: { size: '2G', slots: 4 } } });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('profile.memory.maxmem: set both memory.slots and memory.maxmem, or neither');
    expect(qemus()).toEqual([]);
  });

  it('runs a scenario as pmem-lab run does, restoring the checkpoint the first boot saved', async () => {
    const r = ok<{ agree: boolean; entries: Summary[]; session: { phase: string; boot: { from: string } } }>(
      await call(s, 'run_scenario', { scenario: 'dimm-hotplug' }),
    );
    expect(r.agree).toBe(true);
    expect(r.entries).toHaveLength(10);
    expect(r.session).toMatchObject({ phase: 'stopped', boot: { from: 'checkpoint' } });
    expect(qemus()).toEqual([]);
  });
});

describe('a client that goes away', () => {
  /** A server with a ready guest, its QEMU and its process. */
  async function withGuest() {
    const s = await startServer();
    const booting = ok<{ id: string; phase: string }>(await call(s, 'boot', { profile: 'dimm-hotplug' }));
    // no progressToken: the answer comes at once, while the guest boots
    expect(BOOTING).toContain(booting.phase);
    const status = ok<{ sessions: { phase: string }[] }>(await call(s, 'status', { session: booting.id, wait: true }));
    expect(status.sessions[0]!.phase).toBe('ready');
    const [qemu, ...more] = qemus();
    expect(qemu).toBeDefined();
    expect(more).toEqual([]);
    const child = (s.transport as unknown as { _process: ChildProcess })._process;
    const exited = new Promise<number | string | null>((resolve) => {
      child.once('exit', resolve);
      setTimeout(() => resolve('still running after 30 s'), 30_000).unref();
    });
    return { qemu: qemu!, child, exited };
  }

  async function expectNoGuestLeft(qemu: number): Promise<void> {
    expect(alive(qemu)).toBe(false);
    await until('no QEMU is left', () => qemus().length === 0, 5000);
    expect(readdirSync(run).filter((f) => !f.startsWith('.'))).toEqual([]);
  }

  it('has every guest it booted stopped when stdin closes, and the server exits by itself', async () => {
    const { qemu, child, exited } = await withGuest();
    // stdin closes, as when the client process dies; the SDK's close() would also send SIGTERM after 2 s
    child.stdin!.end();
    expect(await exited).toBe(0);
    await expectNoGuestLeft(qemu);
  });

  it('stops them too on SIGTERM, which the SDK sends a server slow to leave', async () => {
    const { qemu, child, exited } = await withGuest();
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    await expectNoGuestLeft(qemu);
  });
});
