// Running the bundled Electron main process in plain Node: a stand-in
// renderer folder for it to serve, and fake-electron.cjs (the recording
// stand-in for the electron module) to drive it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const FIXTURE_INDEX =
  '<!doctype html><title>PMEM Lab</title><div id="app"></div><script type="module" src="./assets/app.js"></script>\n';

/**
 * A renderer folder shaped like Vite's output (dist/renderer), never the real one: tests must not overwrite a build.
 */
export async function writeFixtureRenderer(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), FIXTURE_INDEX);
  await writeFile(join(dir, 'assets/app.js'), 'export {};\n');
}

/** An app:// answer as fake-electron.cjs reports it. */
interface Served {
  status: number;
  type?: string;
  csp?: string;
  body?: string;
}

/**
 * What fake-electron.cjs prints about the bundle's run: typed where the tests read into it, unknown where they compare.
 */
export interface MainBundleRun {
  sandbox: boolean;
  privileged: unknown;
  window: { webPreferences: { preload: string } };
  loaded: string[];
  served: { index: Served; script: Served; escapes: Served[] };
  navigation: unknown;
  trusted: unknown;
  untrusted: unknown;
  fileSender: unknown;
  badParams: unknown;
  permissions: unknown;
  quitPrevented: boolean;
  quit: number;
  newWindow: unknown;
}

/**
 * Loads `mainCjs` under fake-electron.cjs and returns what it recorded;
 * PMEM_LAB_ROOT comes from the bundle's own banner unless given.
 */
export async function runMainBundle(mainCjs: string, env: Record<string, string> = {}): Promise<MainBundleRun> {
  const base = { ...process.env };
  delete base.PMEM_LAB_ROOT;
  const r = await execa(process.execPath, [join(import.meta.dirname, 'fake-electron.cjs'), mainCjs], {
    env: { ...base, ...env },
    extendEnv: false,
  });
  return JSON.parse(r.stdout) as MainBundleRun;
}
