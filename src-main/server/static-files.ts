// The built renderer, served read-only from one folder: no path leaves it.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function readStatic(root: string, urlPath: string): Promise<{ body: Buffer; type: string } | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return undefined;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const path = normalize(join(root, rel));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  const type = TYPES[extname(path)];
  if (!type) return undefined;
  const body = await readFile(path).catch(() => undefined);
  return body && { body, type };
}
