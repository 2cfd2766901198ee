// The layers (docs/architecture.md): src-shared is pure TypeScript that runs
// anywhere, the renderer reaches the backend only through the contract.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [join(dir, e.name)] : []));
/** Every module a file names: `import/export ... from`, bare `import 'x'` and `import('x')`, with either quote. */
const imports = (file: string): string[] =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*(['"])(.+?)\1|^\s*import\s*(['"])(.+?)\3|\bimport\(\s*(['"])(.+?)\5/gm)].map((m) => (m[2] ?? m[4] ?? m[6])!);
/** Code without comments and strings, so a comment naming `window` is not a use of it. */
const code = (file: string): string => readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");

describe('layers', () => {
  it('src-shared imports only itself, zod and yaml', () => {
    for (const f of files('src-shared'))
      for (const spec of imports(f)) {
        if (spec === 'zod' || spec === 'yaml') continue;
        expect(spec, `${f} imports ${spec}`).toMatch(/^\.\.?\//);
        expect(relative(ROOT, join(ROOT, f, '..', spec)), `${f} imports ${spec}`).toMatch(/^src-shared\//);
      }
  });

  it('src-shared uses no Node, Electron or DOM globals', () => {
    for (const f of files('src-shared')) expect(code(f), f).not.toMatch(/\b(process|Buffer|require|__dirname|window|document|navigator|localStorage|ipcRenderer)\b/);
  });

  it('the renderer never imports src-main, and src-main never imports the renderer', () => {
    for (const f of files('src-renderer')) for (const spec of imports(f)) expect(spec, f).not.toMatch(/src-main|^node:|^electron$/);
    for (const f of files('src-main')) for (const spec of imports(f)) expect(spec, f).not.toMatch(/src-renderer/);
  });
});
