// What a page holding the token (or a compromised renderer, or a downloaded
// scenario) can do, tried against the real browser-mode server and a real
// guest: QMP outside the memory vocabulary never reaches QEMU, kernel paths
// reveal nothing about host files, and guests are capped.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionInfo } from '../../src-shared/api/contract';
import { LabBackend } from '../../src-main/backend/lab-backend';
import { serveLab, type LabServer } from '../../src-main/server/server';

const tmp = mkdtempSync(join(tmpdir(), 'pmem-lab-hostile-'));
const pwned = join(tmp, 'pwned');
let backend: LabBackend;
let server: LabServer;
let ws: WebSocket;
let nextId = 1;
const states: SessionInfo[] = [];

function call(
  method: string,
  params: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the server's JSON reply, checked by the assertions
): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string; field?: string } }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (d: Buffer) => {
      const m = JSON.parse(d.toString('utf8'));
      if (m.type !== 'reply' || m.id !== id) return;
      ws.off('message', onMessage);
      resolve(m.reply);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, method, params }));
  });
}

const until = async (what: string, ok: () => boolean, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  process.env.PMEM_LAB_CONFIG = join(tmp, 'config');
  mkdirSync(join(tmp, 'static'));
  writeFileSync(join(tmp, 'static/index.html'), '<title>PMEM Lab</title>');
  backend = new LabBackend({ mode: 'browser', maxGuests: 1, kernelDirs: [] });
  server = await serveLab({ backend, staticDir: join(tmp, 'static') });
  ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString('utf8'));
    if (m.type === 'event' && m.name === 'session.state') states.push(m.payload);
  });
  await new Promise((r) => ws.once('open', r));
});

afterAll(async () => {
  ws?.close();
  await backend?.stopAll();
  await server?.close();
  delete process.env.PMEM_LAB_CONFIG;
  rmSync(tmp, { recursive: true, force: true });
});

describe('a page with the token, against a real guest', () => {
  it("cannot tell host files that exist from ones that do not through a profile's kernel path", async () => {
    const answers: string[] = [];
    for (const path of ['/etc/shadow', '/root/.ssh/nope']) {
      const yaml = `name: probe\nmemory: { size: 1G }\nkernel: { path: ${path}, modules: /lib/modules }\n`;
      expect(await call('profiles.save', { name: 'probe', yaml })).toMatchObject({ ok: true });
      const r = await call('vm.boot', { profile: 'probe' });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid', field: 'kernel.path' } });
      answers.push(r.error!.message.replace(path, 'PATH'));
    }
    expect(answers[0]).toBe(answers[1]);
    expect((await call('lab.info', {})).value.sessions).toEqual([]);
  });

  let session: string;
  let runDir: string;
  it('boots one guest, and a second boot beyond the cap is refused with the reason', async () => {
    const r = await call('vm.boot', { profile: 'dimm-hotplug' });
    expect(r.ok, r.error?.message).toBe(true);
    session = r.value.id;
    await until('the guest', () => states.some((s) => s.id === session && s.phase === 'ready'));
    const argv: string[] = (await call('lab.info', {})).value.sessions[0].argv;
    runDir = dirname(
      argv
        .find((a) => a.includes('qmp.sock'))!
        .replace(/^.*path=/, '')
        .split(',')[0]!,
    );
    const second = await call('vm.boot', { profile: 'dimm-hotplug' });
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'busy',
        message: expect.stringMatching(/1 guests are running, the most this lab runs at once \(1: set by/),
      },
    });
    expect((await call('lab.info', {})).value.sessions).toHaveLength(1);
  });

  const act = (qmp: unknown) => call('session.act', { session, step: { qmp } });

  it('refuses QMP that reaches the host, before QEMU sees it', async () => {
    expect(await act({ execute: 'migrate', arguments: { uri: `exec:touch ${pwned}` } })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'step.qmp.execute', message: expect.stringMatching(/migrate is refused/) },
    });
    expect(
      await act({ execute: 'human-monitor-command', arguments: { 'command-line': `migrate "exec:touch ${pwned}"` } }),
    ).toMatchObject({ ok: false, error: { field: 'step.qmp.execute' } });
    expect(
      await act({
        execute: 'object-add',
        arguments: {
          'qom-type': 'memory-backend-file',
          id: 'host',
          size: 4096,
          'mem-path': '/etc/passwd',
          share: true,
        },
      }),
    ).toMatchObject({ ok: false, error: { field: 'step.qmp.arguments.mem-path' } });
    expect(
      await act({
        execute: 'device_add',
        arguments: { driver: 'virtio-mem-pci', id: 'vm0', memdev: 'x', romfile: '/etc/shadow' },
      }),
    ).toMatchObject({ ok: false, error: { field: 'step.qmp.arguments.romfile' } });
    expect(await act({ execute: 'quit' })).toMatchObject({ ok: false, error: { field: 'step.qmp.execute' } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(existsSync(pwned)).toBe(false);
    // QEMU never saw them: no backend object, and the guest is running
    const memdevs = await act({ execute: 'query-memdev' });
    expect(memdevs.ok).toBe(true);
    expect(JSON.parse(memdevs.value.real.output).return.map((m: { id?: string }) => m.id)).not.toContain('host');
    expect((await call('session.snapshot', { session })).ok).toBe(true);
  });

  it("lets the memory vocabulary through, with file backends inside the guest's runtime folder", async () => {
    const add = await act({
      execute: 'object-add',
      arguments: { 'qom-type': 'memory-backend-file', id: 'f1', size: 268435456, share: true },
    });
    expect(add.ok, add.error?.message).toBe(true);
    expect(add.value.real.exitCode).toBe(0);
    expect(existsSync(join(runDir, 'backend-f1'))).toBe(true);
    const plug = await act({ execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'd1', memdev: 'f1' } });
    expect(plug.value.real.exitCode, plug.value.real.output).toBe(0);
    expect(plug.value.real.snapshot.iomem).toMatch(/100000000-10fffffff : System RAM/);
  });

  it('refuses the same QMP from a scenario file through the CLI, before booting', async () => {
    const file = join(tmp, 'evil.yaml');
    writeFileSync(
      file,
      `name: evil\nprofile: dimm-hotplug\nsteps:\n  - run: echo hi\n  - qmp: { execute: migrate, arguments: { uri: ` +
        `"exec:touch ${pwned}" } }\n`,
    );
    const r = await execa('node', ['bin/pmem-lab.js', 'run', file, '--accel', 'tcg'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/steps\[1\]\.qmp\.execute: QMP migrate is refused/);
    expect(r.stderr).not.toMatch(/running evil/);
    expect(existsSync(pwned)).toBe(false);
  });
});
