// Bundles the Electron shell: main.cjs (the backend included, electron left
// to the runtime) and preload.cjs (a sandboxed preload must be one CommonJS file).
import { build } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
export const ELECTRON_OUT = join(ROOT, 'dist/electron');

export async function buildElectron(): Promise<void> {
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node20', external: ['electron'], logLevel: 'warning' as const, sourcemap: true };
  // A CommonJS bundle has no import.meta: the app's folder (two up from dist/electron, in the checkout and in app.asar alike) comes through PMEM_LAB_ROOT.
  await build({
    ...common,
    entryPoints: [join(ROOT, 'src-main/electron/main.ts')],
    outfile: join(ELECTRON_OUT, 'main.cjs'),
    banner: { js: "process.env.PMEM_LAB_ROOT ??= require('node:path').join(__dirname, '..', '..');" },
    define: { 'import.meta.url': 'undefined' },
  });
  await build({ ...common, entryPoints: [join(ROOT, 'src-main/electron/preload.ts')], outfile: join(ELECTRON_OUT, 'preload.cjs') });
}

if (import.meta.filename === process.argv[1]) await buildElectron();
