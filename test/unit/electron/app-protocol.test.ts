// The app:// scheme's handler in plain Node: which URLs map to which files,
// what it answers, and that its CSP header agrees with the page's meta tag.
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_CSP, APP_INDEX_URL, resolveAppUrl, serveApp } from '../../../src-main/electron/app-protocol';

const ROOT = '/opt/pmem-lab/resources/app.asar/dist/renderer';
const FILES: Record<string, string> = {
  [`${ROOT}/index.html`]: '<!doctype html>',
  [`${ROOT}/assets/index-1.js`]: 'export {};',
};
const read = (path: string) =>
  path in FILES
    ? Promise.resolve(new TextEncoder().encode(FILES[path]))
    : Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));

describe('resolveAppUrl', () => {
  it('maps the page and its assets to files under the renderer folder', () => {
    expect(resolveAppUrl(ROOT, APP_INDEX_URL)).toEqual({
      path: `${ROOT}/index.html`,
      type: 'text/html; charset=utf-8',
    });
    expect(resolveAppUrl(ROOT, 'app://pmem-lab/')).toEqual({
      path: `${ROOT}/index.html`,
      type: 'text/html; charset=utf-8',
    });
    expect(resolveAppUrl(ROOT, 'app://pmem-lab/assets/index-1.js?v=2#x')).toEqual({
      path: `${ROOT}/assets/index-1.js`,
      type: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppUrl(ROOT, 'app://pmem-lab/assets/a%20b.CSS')).toEqual({
      path: `${ROOT}/assets/a b.CSS`,
      type: 'text/css; charset=utf-8',
    });
  });

  it('refuses escapes, other origins, bad encodings and unknown types', () => {
    for (const url of [
      'app://pmem-lab/..%2f..%2fpackage.json',
      'app://pmem-lab/assets/..%2F..%2F..%2Fqemu-profiles/x.yaml',
      'app://pmem-lab/%2e%2e%2f%2e%2e%2fetc/passwd',
      'app://pmem-lab/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd.js',
    ]) {
      expect(resolveAppUrl(ROOT, url), url).toEqual({ status: 403 });
    }
    for (const url of [
      'app://evil/index.html',
      'app://pmem-lab.evil/index.html',
      'app://pmem-lab:1/index.html',
      'app://u@pmem-lab/index.html',
      'file:///opt/pmem-lab/resources/app.asar/dist/renderer/index.html',
      'https://pmem-lab/index.html',
    ]) {
      expect(resolveAppUrl(ROOT, url), url).toEqual({ status: 403 });
    }
    expect(resolveAppUrl(ROOT, 'app://pmem-lab/%E0%A4%A.html')).toEqual({ status: 400 });
    expect(resolveAppUrl(ROOT, 'app://pmem-lab/a%00.html')).toEqual({ status: 400 });
    expect(resolveAppUrl(ROOT, 'not a url')).toEqual({ status: 400 });
    expect(resolveAppUrl(ROOT, 'app://pmem-lab/assets/x.map')).toEqual({ status: 404 });
  });

  it('never resolves outside the renderer folder, whatever the path', () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '..%2f',
      '%2f',
      'assets',
      'index.html',
      'x.js',
      '%00',
      '%5c',
      '//',
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (parts) => {
        const r = resolveAppUrl(ROOT, `app://pmem-lab/${parts.join('/')}`);
        return 'status' in r || r.path.startsWith(ROOT + sep);
      }),
    );
  });
});

describe('serveApp', () => {
  const serve = (url: string, method = 'GET') => serveApp(ROOT, new Request(url, { method }), read);

  it('answers GET and HEAD with the MIME type, nosniff and the CSP header', async () => {
    const r = await serve(APP_INDEX_URL);
    expect(r.status).toBe(200);
    expect(['content-type', 'content-security-policy', 'x-content-type-options'].map((h) => r.headers.get(h))).toEqual([
      'text/html; charset=utf-8',
      APP_CSP,
      'nosniff',
    ]);
    expect(await r.text()).toBe('<!doctype html>');
    const head = await serve('app://pmem-lab/assets/index-1.js', 'HEAD');
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      '',
    ]);
  });

  it('refuses other methods, escapes and missing files', async () => {
    const post = await serve(APP_INDEX_URL, 'POST');
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await serve('app://pmem-lab/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await serve('app://pmem-lab/missing.html')).status).toBe(404);
    expect((await serve('app://pmem-lab/missing.html')).headers.get('content-security-policy')).toBe(APP_CSP);
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) =>
    new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...sources]) => [name!, sources.sort()]),
    );

  it("the header is the page's meta policy, minus the browser-mode WebSocket", () => {
    const html = readFileSync(join(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8');
    const meta = directives(/http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!);
    const header = directives(APP_CSP);
    expect([...header.keys()].sort()).toEqual([...meta.keys()].sort());
    for (const [name, sources] of header) {
      if (name === 'connect-src') expect(meta.get(name)).toEqual(expect.arrayContaining(sources));
      else expect(sources, name).toEqual(meta.get(name));
    }
    expect(header.get('connect-src')).toEqual(["'self'"]);
    expect(header.get('script-src')).toEqual(["'self'"]);
  });
});
