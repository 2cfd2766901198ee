// The browser-mode server on a real socket: the token, Origin and Host
// checks, the static files, and the contract over WebSocket.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Backend } from '../../../src-main/backend/types';
import { serveLab, type LabServer } from '../../../src-main/server/server';

const calls: { method: string; params: unknown }[] = [];
const fake: Backend = {
  call: (method, params) => {
    calls.push({ method, params });
    return Promise.resolve(
      method === 'lab.info'
        ? { ok: true, value: { version: 'test' } }
        : { ok: false, error: { code: 'invalid', message: `unknown call "${method}"` } },
    );
  },
  subscribe: () => () => {},
  stopAll: async () => {},
};

let server: LabServer;
beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'pmem-lab-static-'));
  const dir = join(base, 'renderer');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.html'), '<title>PMEM Lab</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets/app.js'), 'export {}');
  writeFileSync(join(base, 'secret.html'), 'secret');
  server = await serveLab({ backend: fake, staticDir: dir });
});
afterAll(() => server.close());

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function open(
  query: string,
  origin?: string,
  headers: Record<string, string> = {},
): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { ...(origin ? { origin } : {}), headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode! }));
    ws.on('error', () => undefined);
  });
}

function reply(ws: WebSocket, msg: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString('utf8'))));
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  });
}

describe('browser-mode server', () => {
  it('prints a 127.0.0.1 URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page to the token, with a CSP, and its assets through the cookie', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('PMEM Lab');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const cookie = String((page.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    expect((await get('/assets/app.js', { cookie })).status).toBe(200);
  });

  it('keeps the token out of cookies: what other servers on 127.0.0.1 get fetches assets, never the API', async () => {
    const page = await get(`/?token=${server.token}`);
    const cookie = String((page.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    expect(cookie.startsWith(`pmemlab_assets_${server.port}=`)).toBe(true);
    expect(cookie).not.toContain(server.token);
    expect((await get('/', { cookie })).status).toBe(200);
    const own = `http://127.0.0.1:${server.port}`;
    expect((await open('', own, { cookie })).status).toBe(401);
    expect((await open('', own, { cookie: `pmemlab_token=${server.token}` })).status).toBe(401);
  });

  it('sends the CSP as a header on every answer, refusals included', async () => {
    for (const r of [
      await get(`/?token=${server.token}`),
      await get('/'),
      await get(`/nope.js?token=${server.token}`),
    ]) {
      expect(String(r.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses requests without the token (401) or from a foreign Origin (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=nope')).status).toBe(401);
    expect((await get(`/?token=${server.token}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`/?token=${server.token}`, { host: 'evil.example' })).status).toBe(403);
  });

  it('never serves a file outside the renderer folder', async () => {
    expect((await get(`/../secret.html?token=${server.token}`)).status).toBe(404);
    expect((await get(`/%2e%2e/secret.html?token=${server.token}`)).status).toBe(404);
  });

  it('closes sockets without the token or from a foreign Origin', async () => {
    expect((await open('')).status).toBe(401);
    expect((await open('?token=wrong')).status).toBe(401);
    expect((await open(`?token=${server.token}`, 'http://evil.example')).status).toBe(403);
  });

  it('answers contract calls and rejects malformed messages, then keeps serving', async () => {
    const { ws } = await open(`?token=${server.token}`, `http://127.0.0.1:${server.port}`);
    expect(await reply(ws!, { type: 'call', id: 7, method: 'lab.info', params: {} })).toEqual({
      type: 'reply',
      id: 7,
      reply: { ok: true, value: { version: 'test' } },
    });
    expect(await reply(ws!, 'not json')).toMatchObject({
      type: 'reply',
      reply: { ok: false, error: { code: 'invalid' } },
    });
    expect(await reply(ws!, { type: 'call', id: 'x', method: 'lab.info' })).toMatchObject({
      reply: { ok: false, error: { code: 'invalid' } },
    });
    expect(await reply(ws!, { type: 'call', id: 8, method: 'lab.info', params: {} })).toMatchObject({
      id: 8,
      reply: { ok: true },
    });
    ws!.close();
  });

  it('drops a connection that sends more than the message limit', async () => {
    const { ws } = await open(`?token=${server.token}`);
    const closed = new Promise<number>((r) => ws!.on('close', (code) => r(code)));
    ws!.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });

  it('survives a flood of 1,000 bad requests and keeps serving the valid client', async () => {
    const { ws: good } = await open(`?token=${server.token}`);
    const { ws: noisy } = await open(`?token=${server.token}`);
    let answered = 0;
    const allAnswered = new Promise<void>((resolve) =>
      noisy!.on('message', () => {
        if (++answered === 1000) resolve();
      }),
    );
    for (let i = 0; i < 1000; i++)
      noisy!.send(
        i % 3 === 0
          ? '{"type":"call"'
          : JSON.stringify({
              type: 'call',
              id: i,
              method: i % 3 === 1 ? 'no.such' : 'lab.info',
              params: { junk: 'x'.repeat(i) },
            }),
      );
    const refused = await Promise.all(Array.from({ length: 100 }, () => get('/?token=bad')));
    expect(refused.every((r) => r.status === 401)).toBe(true);
    expect(await reply(good!, { type: 'call', id: 1, method: 'lab.info', params: {} })).toMatchObject({
      id: 1,
      reply: { ok: true },
    });
    await allAnswered;
    expect(answered).toBe(1000);
    good!.close();
    noisy!.close();
  });

  it('listens on 127.0.0.1 only: other addresses of this machine, loopback or not, are refused', async () => {
    expect(server.address).toBe('127.0.0.1');
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    // 127.0.0.2 reaches this machine's loopback too, so a socket bound to any address would answer it
    for (const host of ['127.0.0.2', ...external]) {
      const status = await new Promise<string>((resolve) => {
        const req = request({ host, port: server.port, path: '/' }, () => resolve('answered'));
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        req.end();
      });
      expect(status, host).toBe('ECONNREFUSED');
    }
  });
});
