// Running the bundled Electron main process in plain Node: a stand-in
// renderer folder for it to serve, and fake-electron.cjs (the recording
// stand-in for the electron module) to drive it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export const FIXTURE_INDEX =
  '<!doctype html><title>PMEM Lab</title><div id="app"></div><script type="module" src="./assets/app.js"></script>\n';

/** A renderer folder shaped like Vite's output (dist/renderer), never the real one: tests must not overwrite a build. */
export async function writeFixtureRenderer(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), FIXTURE_INDEX);
  await writeFile(join(dir, 'assets/app.js'), 'export {};\n');
}

/** Loads `mainCjs` under fake-electron.cjs and returns what it recorded; PMEM_LAB_ROOT comes from the bundle's own banner unless given. */
export async function runMainBundle(mainCjs: string, env: Record<string, string> = {}): Promise<Record<string, any>> {
  const { PMEM_LAB_ROOT: _inherited, ...base } = process.env;
  const r = await execa(process.execPath, [join(import.meta.dirname, 'fake-electron.cjs'), mainCjs], {
    env: { ...base, ...env },
    extendEnv: false,
  });
  return JSON.parse(r.stdout);
}
