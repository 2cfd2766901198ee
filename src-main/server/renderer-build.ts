// The renderer bundle (dist/renderer), built with Vite when missing or older
// than its sources, so `pmem-lab serve` and `npm start` work from a fresh clone.
import { appRoot } from '../util/app-root';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = appRoot();
export const RENDERER_DIR = join(ROOT, 'dist/renderer');

async function newest(dir: string): Promise<number> {
  let t = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? await newest(p) : (await stat(p)).mtimeMs);
  }
  return t;
}

export async function rendererIsCurrent(): Promise<boolean> {
  const built = await stat(join(RENDERER_DIR, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (!built) return false;
  const sources = Math.max(
    await newest(join(ROOT, 'src-renderer')),
    await newest(join(ROOT, 'src-shared')),
    (await stat(join(ROOT, 'vite.config.ts'))).mtimeMs,
  );
  return built >= sources;
}

export async function ensureRendererBuilt(log: (s: string) => void = () => {}): Promise<string> {
  if (await rendererIsCurrent()) return RENDERER_DIR;
  log('building the UI (vite build)...');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'src-renderer'), logLevel: 'warn' });
  return RENDERER_DIR;
}
