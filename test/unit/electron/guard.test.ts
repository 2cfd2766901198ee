import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL } from '../../../src-main/electron/app-protocol';
import { handleCall, isTrustedSender } from '../../../src-main/electron/ipc-guard';
import { isAllowedExternal, isAllowedNavigation, windowOptions } from '../../../src-main/electron/window-options';
import type { Backend } from '../../../src-main/backend/types';

const APP = APP_INDEX_URL;
const ROOT = join(import.meta.dirname, '../../..');

describe('IPC sender guard', () => {
  it('trusts the app page, with or without query and hash', () => {
    expect(isTrustedSender(APP, APP)).toBe(true);
    expect(isTrustedSender(`${APP}?x=1#top`, APP)).toBe(true);
  });

  it('refuses everything else, including look-alikes', () => {
    for (const url of [
      undefined,
      '',
      'file:///opt/pmem-lab/resources/app.asar/dist/renderer/index.html',
      'app://pmem-lab/index.html.evil',
      'app://pmem-lab/other.html',
      'app://pmem-lab//index.html',
      'app://pmem-lab.evil/index.html',
      'app://evil/index.html',
      'app://pmem-lab:8080/index.html',
      'app://user@pmem-lab/index.html',
      'https://pmem-lab/index.html',
      'http://127.0.0.1/index.html',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isTrustedSender(url, APP), String(url)).toBe(false);
    }
  });
});

describe('handleCall', () => {
  const seen: string[] = [];
  const backend: Backend = {
    call: (m) => (seen.push(m), Promise.resolve({ ok: true, value: 'called' })),
    subscribe: () => () => {},
    stopAll: async () => {},
  };

  it('forwards a contract call from the app page', async () => {
    expect(await handleCall(backend, APP, APP, 'lab.info', {})).toEqual({ ok: true, value: 'called' });
    expect(seen).toEqual(['lab.info']);
  });

  it('refuses untrusted senders, unknown methods and non-object params without calling the backend', async () => {
    seen.length = 0;
    expect(await handleCall(backend, 'https://evil.example/', APP, 'lab.info', {})).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('untrusted sender') },
    });
    expect(await handleCall(backend, APP, APP, 'constructor', {})).toMatchObject({
      ok: false,
      error: { field: 'method' },
    });
    expect(await handleCall(backend, APP, APP, 42, {})).toMatchObject({ ok: false, error: { field: 'method' } });
    expect(await handleCall(backend, APP, APP, 'lab.info', [1])).toMatchObject({
      ok: false,
      error: { field: 'params' },
    });
    expect(seen).toEqual([]);
  });
});

describe('window security', () => {
  it('isolates the renderer', () => {
    const w = windowOptions('/x/preload.cjs').webPreferences!;
    expect(w).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      nodeIntegrationInWorker: false,
      allowRunningInsecureContent: false,
      preload: '/x/preload.cjs',
    });
  });

  it('navigates only to its own page and opens only allow-listed https links', () => {
    expect(isAllowedNavigation(`${APP}#a`, APP)).toBe(true);
    expect(isAllowedNavigation('https://www.kernel.org/', APP)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(isAllowedExternal('https://docs.kernel.org/driver-api/nvdimm/nvdimm.html')).toBe(true);
    expect(isAllowedExternal('http://docs.kernel.org/')).toBe(false);
    expect(isAllowedExternal('https://docs.kernel.org.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user@github.com/')).toBe(false);
    expect(isAllowedExternal('javascript:alert(1)')).toBe(false);
  });

  it('ships a strict Content-Security-Policy in the page', () => {
    const html = readFileSync(join(ROOT, 'src-renderer/index.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    const script = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(script.trim()).toBe("'self'");
    expect(csp).toMatch(/object-src 'none'/);
  });

  it('never hands ipcRenderer itself to the page', () => {
    const preload = readFileSync(join(ROOT, 'src-main/electron/preload.ts'), 'utf8');
    expect(preload).toMatch(/exposeInMainWorld\('lab', lab\)/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
