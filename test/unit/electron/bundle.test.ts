// The real Electron main bundle, run in Node against a recording stand-in for
// the electron module (the binary cannot be downloaded here): its window is
// locked down, IPC is guarded, the backend answers, quitting stops the guests.
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, ELECTRON_OUT } from '../../../scripts/build-electron';

let seen: Record<string, any>;
beforeAll(async () => {
  await buildElectron();
  const r = await execa('node', [join(import.meta.dirname, 'fake-electron.cjs'), join(ELECTRON_OUT, 'main.cjs')]);
  seen = JSON.parse(r.stdout);
}, 60_000);

describe('Electron main bundle', () => {
  it('opens one sandboxed window over the built renderer', () => {
    expect(seen.sandbox).toBe(true);
    expect(seen.window.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(seen.window.webPreferences.preload).toBe(join(ELECTRON_OUT, 'preload.cjs'));
    expect(seen.loaded).toEqual([join(ELECTRON_OUT, '../renderer/index.html')]);
  });

  it('answers the app page through the backend and refuses other senders and bad params', () => {
    expect(seen.trusted).toEqual(expect.arrayContaining(['nvdimm-1g-labels', 'dimm-hotplug']));
    expect(seen.untrusted).toMatchObject({ ok: false, error: { message: expect.stringContaining('untrusted sender') } });
    expect(seen.badParams).toMatchObject({ ok: false, error: { field: 'profile' } });
  });

  it('denies permissions and new windows, and stops guests before quitting', () => {
    expect(seen.permissions).toEqual([false]);
    expect(seen.newWindow).toEqual({ action: 'deny' });
    expect(seen.quitPrevented).toBe(true);
    expect(seen.quit).toBe(1);
  });
});
