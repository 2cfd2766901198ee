// Bundles the Electron shell: main.cjs (the backend included, electron left
// to the runtime) and preload.cjs (a sandboxed preload must be one CommonJS file).
// `pmem-lab start` builds it before opening Electron; scripts/build-electron.ts for npm scripts.
import { build } from 'esbuild';
import { join } from 'node:path';
import { appRoot } from '../util/app-root';

const ROOT = appRoot();
export const ELECTRON_OUT = join(ROOT, 'dist/electron');

/**
 * Builds both bundles into `outDir`; returns the modules they leave to the
 * runtime (packaging ships no node_modules, so these must be Node's or electron).
 */
export async function buildElectron(outDir = ELECTRON_OUT): Promise<string[]> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning' as const,
    sourcemap: true,
    metafile: true as const,
  };
  // A CommonJS bundle has no import.meta: the app's folder (two up from dist/electron,
  // in the checkout and in app.asar alike) comes through PMEM_LAB_ROOT.
  const main = await build({
    ...common,
    entryPoints: [join(ROOT, 'src-main/electron/main.ts')],
    outfile: join(outDir, 'main.cjs'),
    banner: { js: "process.env.PMEM_LAB_ROOT ??= require('node:path').join(__dirname, '..', '..');" },
    define: { 'import.meta.url': 'undefined' },
  });
  const preload = await build({
    ...common,
    entryPoints: [join(ROOT, 'src-main/electron/preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
  });
  const outputs = [main, preload].flatMap((r) => Object.values(r.metafile.outputs));
  return [...new Set(outputs.flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)))].sort();
}
