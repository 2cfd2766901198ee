import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpClient, QmpError } from '../../../src-main/qemu/qmp';

// A fake QMP server on a unix socket, speaking the wire protocol of qmp-spec.rst.
async function fakeQmp(
  onCommand: (cmd: { execute: string; id?: string; arguments?: unknown }, reply: (o: object) => void) => void,
) {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-'));
  const path = join(dir, 'qmp.sock');
  let peer: Socket | undefined;
  const server: Server = createServer((s) => {
    peer = s;
    const reply = (o: object) => s.write(JSON.stringify(o) + '\r\n');
    reply({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: [] } });
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        onCommand(JSON.parse(line), reply);
      }
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  const socket = connect(path);
  const client = new QmpClient(socket);
  return {
    client,
    server,
    peer: () => peer!,
    cleanup: () => {
      client.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('QmpClient', () => {
  it('negotiates capabilities, matches replies by id and drops unknown ids', async () => {
    const seen: string[] = [];
    const f = await fakeQmp((cmd, reply) => {
      seen.push(cmd.execute);
      if (cmd.execute === 'query-status') {
        reply({ return: { status: 'nope' }, id: 'someone-else' });
        reply({ return: { status: 'running' }, id: cmd.id });
      } else reply({ return: {}, id: cmd.id });
    });
    cleanup = f.cleanup;
    await f.client.handshake();
    expect(await f.client.execute('query-status')).toEqual({ status: 'running' });
    expect(seen).toEqual(['qmp_capabilities', 'query-status']);
  });

  it('gives up on the greeting as soon as QEMU closes the socket, not at the timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qmp-'));
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(join(dir, 'qmp.sock'), r));
    cleanup = () => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    };
    const client = new QmpClient(connect(join(dir, 'qmp.sock')));
    const t0 = performance.now();
    await expect(client.handshake(60_000)).rejects.toThrow(/closed the QMP connection before its greeting/);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('turns error replies into QmpError with the error class', async () => {
    const f = await fakeQmp((cmd, reply) => {
      if (cmd.execute === 'device_del')
        reply({ error: { class: 'DeviceNotFound', desc: "Device 'x' not found" }, id: cmd.id });
      else reply({ return: {}, id: cmd.id });
    });
    cleanup = f.cleanup;
    await f.client.handshake();
    const e = (await f.client.execute('device_del', { id: 'x' }).catch((x: unknown) => x)) as QmpError;
    expect(e).toBeInstanceOf(QmpError);
    expect(e.errorClass).toBe('DeviceNotFound');
  });

  it('routes events to their own stream, including ones that arrived before the wait', async () => {
    const f = await fakeQmp((cmd, reply) => {
      reply({ return: {}, id: cmd.id });
      if (cmd.execute === 'device_add')
        reply({ event: 'ACPI_DEVICE_OST', data: { info: { device: 'dimm1', status: 0 } } });
    });
    cleanup = f.cleanup;
    await f.client.handshake();
    const mark = f.client.events.length;
    await f.client.execute('device_add', { id: 'dimm1' });
    const ev = await f.client.waitForEvent((e) => e.event === 'ACPI_DEVICE_OST', 1000, mark);
    expect(ev.data).toEqual({ info: { device: 'dimm1', status: 0 } });
  });

  it('rejects pending commands when QEMU closes the connection', async () => {
    const f = await fakeQmp((cmd, reply) => {
      if (cmd.execute === 'qmp_capabilities') reply({ return: {}, id: cmd.id });
    });
    cleanup = f.cleanup;
    await f.client.handshake();
    const pending = f.client.execute('query-status');
    setTimeout(() => f.peer().destroy(), 20);
    await expect(pending).rejects.toThrow(/closed the QMP connection/);
    await expect(f.client.execute('query-status')).rejects.toThrow(/closed/);
  });

  it('times out a command that gets no reply, naming it', async () => {
    const f = await fakeQmp((cmd, reply) => {
      if (cmd.execute === 'qmp_capabilities') reply({ return: {}, id: cmd.id });
    });
    cleanup = f.cleanup;
    await f.client.handshake();
    await expect(f.client.execute('query-hotpluggable-cpus', undefined, 50)).rejects.toThrow(
      /query-hotpluggable-cpus got no reply within 50 ms/,
    );
  });
});
