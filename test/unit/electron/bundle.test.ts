// The real Electron main bundle, run in Node against a recording stand-in for
// the electron module (the binary cannot be downloaded here): its window is
// locked down and shows app://pmem-lab (never file://), the scheme serves
// only the renderer folder, IPC is guarded, the backend answers, quitting
// stops the guests.
import { mkdtemp, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron } from '../../../src-main/electron/bundle';
import { APP_CSP, APP_INDEX_URL } from '../../../src-main/electron/app-protocol';
import { FIXTURE_INDEX, runMainBundle, writeFixtureRenderer, type MainBundleRun } from './fake-app';

const ROOT = join(import.meta.dirname, '../../..');
let tmp: string;
let out: string;
let runtimeImports: string[];
let seen: MainBundleRun;
beforeAll(async () => {
  // Built outside the checkout, so a require() of anything but Node's
  // modules and electron would fail here as it would in app.asar.
  tmp = await mkdtemp(join(tmpdir(), 'pmem-lab-bundle-'));
  out = join(tmp, 'dist/electron');
  runtimeImports = await buildElectron(out);
  await writeFixtureRenderer(join(tmp, 'dist/renderer'));
  seen = await runMainBundle(join(out, 'main.cjs'), { PMEM_LAB_ROOT: ROOT });
}, 60_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('Electron main bundle', () => {
  it("leaves only Node's modules and electron to the runtime", () => {
    expect(runtimeImports).toContain('electron');
    expect(runtimeImports.filter((m) => m !== 'electron' && !isBuiltin(m))).toEqual([]);
  });

  it('opens one sandboxed window over the built renderer', () => {
    expect(seen.sandbox).toBe(true);
    expect(seen.window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(seen.window.webPreferences.preload).toBe(join(out, 'preload.cjs'));
    expect(seen.loaded).toEqual([APP_INDEX_URL]);
  });

  it('serves the page from app://pmem-lab (standard, secure, registered before ready) with the CSP header', () => {
    expect(seen.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    expect(seen.served.index).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      csp: APP_CSP,
      body: FIXTURE_INDEX,
    });
    expect(seen.served.script).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  });

  it('refuses paths that leave the renderer folder, and other hosts', () => {
    expect(seen.served.escapes.map((r) => r.status)).toEqual([403, 403, 403]);
  });

  it('navigates only within its own page', () => {
    expect(seen.navigation).toEqual([
      { url: `${APP_INDEX_URL}#profiles`, prevented: false },
      { url: 'file:///etc/passwd', prevented: true },
      { url: 'https://evil.example/', prevented: true },
    ]);
  });

  it('answers the app page through the backend; refuses other senders (old file:// page too) and bad params', () => {
    expect(seen.trusted).toEqual(expect.arrayContaining(['nvdimm-1g-labels', 'dimm-hotplug']));
    expect(seen.untrusted).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('untrusted sender') },
    });
    expect(seen.fileSender).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('untrusted sender') },
    });
    expect(seen.badParams).toMatchObject({ ok: false, error: { field: 'profile' } });
  });

  it('denies permissions and new windows, and stops guests before quitting', () => {
    expect(seen.permissions).toEqual([false]);
    expect(seen.newWindow).toEqual({ action: 'deny' });
    expect(seen.quitPrevented).toBe(true);
    expect(seen.quit).toBe(1);
  });
});
