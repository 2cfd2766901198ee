// Choosing between the Electron app and browser mode.
import { describe, expect, it } from 'vitest';
import { electronBinary, type ElectronProbeDeps } from '../../../src-main/electron/launch';

function deps(
  over: Partial<ElectronProbeDeps> & { files?: Set<string>; codes?: Record<string, number> },
): ElectronProbeDeps & { ran: string[] } {
  const files = over.files ?? new Set<string>();
  const ran: string[] = [];
  return {
    ran,
    packageDir: over.packageDir ?? (() => '/nm/electron'),
    exists: (p) => Promise.resolve(files.has(p)),
    run: (cmd, args) => {
      ran.push([cmd, ...args].join(' '));
      if (args[0] === '/nm/electron/install.js' && over.codes?.install === 0) files.add('/nm/electron/dist/electron');
      return Promise.resolve(cmd.endsWith('/electron') ? (over.codes?.version ?? 0) : (over.codes?.install ?? 1));
    },
    env: over.env ?? { DISPLAY: ':0' },
  };
}

describe('electronBinary', () => {
  it('needs a display', async () => {
    const d = deps({ env: {} });
    expect(await electronBinary(d)).toEqual({ unavailable: expect.stringContaining('no display') });
    expect(d.ran).toEqual([]);
  });

  it('uses an installed binary that runs', async () => {
    const d = deps({ files: new Set(['/nm/electron/dist/electron']) });
    expect(await electronBinary(d)).toEqual({ path: '/nm/electron/dist/electron' });
    expect(d.ran).toEqual(['/nm/electron/dist/electron --version']);
  });

  it('fetches a missing binary once, and falls back when the download fails', async () => {
    const fetched = deps({ codes: { install: 0 }, env: { WAYLAND_DISPLAY: 'wayland-0' } });
    expect(await electronBinary(fetched)).toEqual({ path: '/nm/electron/dist/electron' });
    const offline = deps({ codes: { install: 1 } });
    expect(await electronBinary(offline)).toEqual({ unavailable: expect.stringContaining('could not be downloaded') });
    expect(offline.ran).toHaveLength(1);
  });

  it('falls back when the binary does not run or the package is absent', async () => {
    expect(
      await electronBinary(deps({ files: new Set(['/nm/electron/dist/electron']), codes: { version: 127 } })),
    ).toEqual({ unavailable: expect.stringContaining('does not run') });
    expect(await electronBinary(deps({ packageDir: () => undefined }))).toEqual({
      unavailable: expect.stringContaining('not installed'),
    });
  });
});
