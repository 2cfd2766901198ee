// Whether Electron can run here, and running it. `npm start` opens the
// Electron app when its binary exists (or can be fetched) and a display is
// there; otherwise it falls back to browser mode and says why.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

export interface ElectronProbeDeps {
  /** the electron package folder, or undefined when it is not installed */
  packageDir(): string | undefined;
  exists(path: string): Promise<boolean>;
  /** runs a command; resolves to its exit code (timeouts count as failures) */
  run(cmd: string, args: string[], opts: { timeoutMs: number; env?: Record<string, string> }): Promise<number>;
  env: Record<string, string | undefined>;
}

export type ElectronVerdict = { path: string } | { unavailable: string };

const FETCH_TIMEOUT_MS = 60_000;

export async function electronBinary(deps: ElectronProbeDeps): Promise<ElectronVerdict> {
  if (!deps.env.DISPLAY && !deps.env.WAYLAND_DISPLAY)
    return { unavailable: 'no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const dir = deps.packageDir();
  if (!dir) return { unavailable: 'the electron package is not installed (run npm ci)' };
  const path = join(dir, 'dist', 'electron');
  if (!(await deps.exists(path))) {
    // .npmrc skips install scripts, so the binary is fetched here, once, by Electron's own installer.
    const code = await deps.run(process.execPath, [join(dir, 'install.js')], { timeoutMs: FETCH_TIMEOUT_MS });
    if (code !== 0 || !(await deps.exists(path)))
      return {
        unavailable:
          'the Electron binary could not be downloaded (this machine reaches only the npm and Debian registries)',
      };
  }
  const runs = await deps.run(path, ['--version'], { timeoutMs: 10_000, env: { ELECTRON_RUN_AS_NODE: '1' } });
  return runs === 0
    ? { path }
    : {
        unavailable: `${path} does not run (missing shared libraries? try: apt-get install libgtk-3-0 libnss3 libgbm1)`,
      };
}

export const realElectronDeps: ElectronProbeDeps = {
  packageDir() {
    try {
      return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    } catch {
      return undefined;
    }
  },
  exists: (path) =>
    import('node:fs/promises').then((fs) =>
      fs.access(path).then(
        () => true,
        () => false,
      ),
    ),
  run: async (cmd, args, opts) =>
    (await execa(cmd, args, { timeout: opts.timeoutMs, reject: false, stdio: 'ignore', env: opts.env ?? {} }))
      .exitCode ?? 1,
  env: process.env,
};

/** Runs the app until its window closes; Electron's own quit handler stops the guests. */
export async function launchElectron(binary: string, mainCjs: string): Promise<number> {
  const r = await execa(binary, [mainCjs], { stdio: 'inherit', reject: false, cleanup: true });
  return r.exitCode ?? 1;
}
