// Browser mode (README "The app"; docs/architecture.md "UI and backend"): the
// built renderer and the contract over one WebSocket, on 127.0.0.1 only,
// behind a random token.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { WireCallSchema, type EventName, type WireMessage } from '../../src-shared/api/contract';
import type { Backend } from '../backend/types';
import { assetCookieName, checkAccess, type Credentials, type Reach } from './access';
import { readStatic } from './static-files';

/** A message larger than this is refused: the biggest call (a profile's YAML) is 256 KiB. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A client that stops reading is not allowed to pile events up in memory beyond this. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** A text frame's payload: a Buffer, as binaryType is left at 'nodebuffer' (the other shapes only for types' sake). */
const utf8 = (data: RawData): string =>
  (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');

/** Sent as a header on every response: frame-ancestors works only there, not in the page's meta tag. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface LabServer {
  url: string;
  /** the address the socket is bound to (always 127.0.0.1) */
  address: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  backend: Backend;
  /** the built renderer (dist/renderer) */
  staticDir: string;
  port?: number;
  token?: string;
}

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export async function serveLab(opts: ServeOptions): Promise<LabServer> {
  const creds: Credentials = {
    token: opts.token ?? randomBytes(24).toString('base64url'),
    assetKey: randomBytes(24).toString('base64url'),
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const access = (req: IncomingMessage, reach: Reach) =>
    checkAccess(
      {
        url: req.url ?? '/',
        host: header(req.headers.host),
        origin: header(req.headers.origin),
        cookie: header(req.headers.cookie),
      },
      creds,
      port,
      reach,
    );

  const server = createServer((req, res) => void handleHttp(req, res));

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = access(req, 'asset');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!verdict.ok) {
      res
        .writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}: ${verdict.reason}\n`);
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    const file = await readStatic(opts.staticDir, new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    const headers: Record<string, string> = { 'content-type': file.type };
    // The page's own assets do not carry the token: the first load
    // leaves the asset key (not the token) in a strict cookie.
    if (verdict.via === 'query')
      headers['set-cookie'] = `${assetCookieName(port)}=${creds.assetKey}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers).end(file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = access(req, 'api');
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (!verdict.ok || path !== '/api') {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\n` +
          `connection: close\r\ncontent-length: 0\r\n\r\n`,
      );
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const send = (m: WireMessage) => {
      if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(JSON.stringify(m));
    };
    const unsubscribe = opts.backend.subscribe(<E extends EventName>(name: E, payload: unknown) =>
      send({ type: 'event', name, payload } as WireMessage),
    );
    ws.on('message', (data, isBinary) => {
      if (isBinary)
        return send({
          type: 'reply',
          id: 0,
          reply: { ok: false, error: { code: 'invalid', message: 'binary messages are not part of the contract' } },
        });
      let msg: unknown;
      try {
        msg = JSON.parse(utf8(data));
      } catch {
        return send({
          type: 'reply',
          id: 0,
          reply: { ok: false, error: { code: 'invalid', message: 'a message must be JSON' } },
        });
      }
      const call = WireCallSchema.safeParse(msg);
      if (!call.success)
        return send({
          type: 'reply',
          id: 0,
          reply: {
            ok: false,
            error: { code: 'invalid', message: 'a message must be {type:"call", id, method, params}' },
          },
        });
      void opts.backend
        .call(call.data.method, call.data.params)
        .then((reply) => send({ type: 'reply', id: call.data.id, reply }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?token=${creds.token}`,
    address: typeof addr === 'object' && addr ? addr.address : '',
    port,
    token: creds.token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
    },
  };
}
