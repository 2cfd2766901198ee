// The app's own origin, app://pmem-lab, instead of file:// (Electron security
// checklist item 18): a file:// page may read any file, this one only what
// dist/renderer holds. No electron import at runtime, so it is tested in Node.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { CONTENT_TYPES } from '../util/content-types';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pmem-lab';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * standard: parsed like https, with an origin, relative URLs and web storage;
 * secure: a secure context. Nothing more: without corsEnabled no other origin
 * can read the scheme, and without bypassCSP the policy below holds.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = { scheme: APP_SCHEME, privileges: { standard: true, secure: true } };

/**
 * The renderer's meta-tag policy, sent as a header too (frame-ancestors
 * works only there); the page talks over IPC, so no WebSocket.
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type Resolved = { path: string; type: string } | { status: 400 | 403 | 404 };

/** The file under `root` that `url` names: only app://pmem-lab/..., decoded, never outside `root`, only known types. */
export function resolveAppUrl(root: string, url: string): Resolved {
  let u: URL;
  let pathname: string;
  try {
    u = new URL(url);
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return { status: 400 };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password) return { status: 403 };
  if (pathname.includes('\0')) return { status: 400 };
  // Decoding can bring back what the URL parser removed (%2f..
  // becomes /..), so containment is checked on the file path.
  const path = resolve(root, `.${pathname === '' || pathname === '/' ? '/index.html' : pathname}`);
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { status: 403 };
  const type = CONTENT_TYPES[extname(path).toLowerCase()];
  return type ? { path, type } : { status: 404 };
}

const COMMON = { 'x-content-type-options': 'nosniff', 'content-security-policy': APP_CSP };

function refusal(status: number, headers: Record<string, string> = {}): Response {
  return new Response(`${status}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...COMMON, ...headers },
  });
}

/**
 * protocol.handle's handler for the scheme: GET and HEAD of files under
 * `root` (inside app.asar when packaged, where fs reads through).
 */
export async function serveApp(
  root: string,
  request: Request,
  read: (path: string) => Promise<Uint8Array<ArrayBuffer>> = readFile,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, { allow: 'GET, HEAD' });
  const file = resolveAppUrl(root, request.url);
  if ('status' in file) return refusal(file.status);
  const body = await read(file.path).catch(() => undefined);
  if (!body) return refusal(404);
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: { 'content-type': file.type, ...COMMON },
  });
}
