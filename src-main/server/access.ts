// Who may use a browser-mode server. Every request must name this server as
// its Host (no DNS rebinding) and, from a browser, come from its Origin.
// Two credentials, on purpose of unequal reach:
// - the token (printed by `pmem-lab serve`) opens everything: the page and the
//   API socket. It travels only in URLs sent to this server.
// - the asset cookie, set when the page is opened with the token, fetches the
//   page's static files and nothing else. Cookies are not isolated by port,
//   so every other web server the browser visits on 127.0.0.1 receives it:
//   it must not be, or reveal, anything that opens the API. It is a separate
//   random value, named per port so two lab servers do not overwrite it.
import { timingSafeEqual } from 'node:crypto';

export interface Credentials {
  token: string;
  assetKey: string;
}

export interface AccessRequest {
  url: string;
  host?: string;
  origin?: string;
  cookie?: string;
}

/** What the request asks for: the page's static files, or the API (the WebSocket). */
export type Reach = 'asset' | 'api';

export type AccessVerdict = { ok: true; via: 'query' | 'cookie' } | { ok: false; status: 401 | 403; reason: string };

export const assetCookieName = (port: number): string => `pmemlab_assets_${port}`;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function checkAccess(req: AccessRequest, creds: Credentials, port: number, reach: Reach): AccessVerdict {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!req.host || !hosts.includes(req.host))
    return { ok: false, status: 403, reason: `Host "${req.host ?? ''}" is not this lab server` };
  // Browsers always send Origin on WebSocket upgrades and cross-site
  // requests; tools without one are judged by the credential alone.
  if (req.origin !== undefined && !hosts.some((h) => req.origin === `http://${h}`))
    return { ok: false, status: 403, reason: `Origin "${req.origin}" is not this lab server` };
  const query = new URL(req.url, 'http://127.0.0.1').searchParams.get('token');
  if (query !== null)
    return same(query, creds.token) ? { ok: true, via: 'query' } : { ok: false, status: 401, reason: 'wrong token' };
  if (reach === 'api')
    return {
      ok: false,
      status: 401,
      reason: 'the API needs the token itself (the page keeps it from the URL `pmem-lab serve` printed)',
    };
  const cookie = cookieValue(req.cookie, assetCookieName(port));
  if (cookie !== undefined && same(cookie, creds.assetKey)) return { ok: true, via: 'cookie' };
  return { ok: false, status: 401, reason: 'no token: open the URL that `pmem-lab serve` printed' };
}
