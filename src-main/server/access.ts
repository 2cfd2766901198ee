// Who may use a browser-mode server: requests must carry the token (in the
// URL, or the cookie set when the page was opened with it), name this server
// as their Host (no DNS rebinding) and, from a browser, come from its Origin.
import { timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'pmemlab_token';

export interface AccessRequest {
  url: string;
  host?: string;
  origin?: string;
  cookie?: string;
}

export type AccessVerdict = { ok: true; via: 'query' | 'cookie' } | { ok: false; status: 401 | 403; reason: string };

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return undefined;
}

export function checkAccess(req: AccessRequest, token: string, port: number): AccessVerdict {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!req.host || !hosts.includes(req.host)) return { ok: false, status: 403, reason: `Host "${req.host ?? ''}" is not this lab server` };
  // Browsers always send Origin on WebSocket upgrades and cross-site requests; tools without one are judged by the token alone.
  if (req.origin !== undefined && !hosts.some((h) => req.origin === `http://${h}`)) return { ok: false, status: 403, reason: `Origin "${req.origin}" is not this lab server` };
  const query = new URL(req.url, 'http://127.0.0.1').searchParams.get('token');
  if (query !== null) return sameToken(query, token) ? { ok: true, via: 'query' } : { ok: false, status: 401, reason: 'wrong token' };
  const cookie = cookieToken(req.cookie);
  if (cookie !== undefined && sameToken(cookie, token)) return { ok: true, via: 'cookie' };
  return { ok: false, status: 401, reason: 'no token: open the URL that `pmem-lab serve` printed' };
}
