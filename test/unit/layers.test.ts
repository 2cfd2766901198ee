// The layers (docs/architecture.md): src-shared is pure TypeScript that runs
// anywhere, the renderer reaches the backend only through the contract.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const IMPORT = new RegExp(
  [
    String.raw`^\s*(?:import|export)\b[^'"]*?\bfrom\s*(['"])(.+?)\1`,
    String.raw`^\s*import\s*(['"])(.+?)\3`,
    String.raw`\bimport\(\s*(['"])(.+?)\5`,
  ].join('|'),
  'gm',
);
/** Every module a file names: `import/export ... from`, bare `import 'x'` and `import('x')`, with either quote. */
const imports = (file: string): string[] =>
  [...readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)].map((m) => (m[2] ?? m[4] ?? m[6])!);
/** Code without comments and strings, so a comment naming `window` is not a use of it. */
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/.*$/gm;
const STRING = /'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
const code = (file: string): string =>
  readFileSync(join(ROOT, file), 'utf8').replace(COMMENT, '').replace(STRING, "''");

/**
 * The model's layers (docs/model.md): tools -> kernel -> platform. The platform
 * (QEMU and firmware) imports neither the kernel nor the tools; the kernel never
 * imports the tools; none of them imports the facade (model.ts, index.ts).
 * why.ts and kernel-rules.ts are leaves every layer may use.
 */
const MODEL = 'src-shared/model';
type ModelPart = 'platform' | 'kernel' | 'tools' | 'leaf' | 'facade';
const part = (file: string): ModelPart | undefined => {
  if (!file.startsWith(`${MODEL}/`)) return undefined;
  const rest = file.slice(MODEL.length + 1);
  const folder = rest.split('/')[0]!;
  if (folder === 'platform' || folder === 'kernel' || folder === 'tools') return folder;
  return /^(why|kernel-rules)\.ts$/.test(rest) ? 'leaf' : 'facade';
};
const MAY_IMPORT: Record<ModelPart, ModelPart[]> = {
  platform: ['platform', 'leaf'],
  kernel: ['kernel', 'platform', 'leaf'],
  tools: ['tools', 'kernel', 'platform', 'leaf'],
  leaf: [],
  facade: ['facade', 'tools', 'kernel', 'platform', 'leaf'],
};
/** Imports that go against the model's layers, as "file -> imported file". */
const layerViolations = (edges: { file: string; spec: string }[]): string[] =>
  edges.flatMap(({ file, spec }) => {
    const from = part(file);
    const target = relative(ROOT, join(ROOT, file, '..', spec)).replace(/(\.ts)?$/, '.ts');
    const to = part(target);
    return from && to && !MAY_IMPORT[from].includes(to) ? [`${file} -> ${target}`] : [];
  });

describe('layers', () => {
  it('the model imports only down its layers: tools -> kernel -> platform', () => {
    const edges = files(MODEL).flatMap((file) =>
      imports(file)
        .filter((s) => s.startsWith('.'))
        .map((spec) => ({ file, spec })),
    );
    // The check sees the layers it guards (each imports the one below) ...
    const target = (e: { file: string; spec: string }) => `${relative(ROOT, join(ROOT, e.file, '..', e.spec))}.ts`;
    for (const [from, to] of [
      ['tools', 'kernel'],
      ['kernel', 'platform'],
    ] as const) {
      expect(
        edges.some((e) => part(e.file) === from && part(target(e)) === to),
        `${from} imports ${to}`,
      ).toBe(true);
    }
    // ... and flags an import against them.
    expect(layerViolations([{ file: `${MODEL}/kernel/kmem.ts`, spec: '../tools/daxctl' }])).toHaveLength(1);
    expect(layerViolations([{ file: `${MODEL}/platform/qmp.ts`, spec: '../kernel/errno' }])).toHaveLength(1);
    expect(layerViolations(edges)).toEqual([]);
  });

  it('src-shared imports only itself, zod and yaml', () => {
    for (const f of files('src-shared'))
      for (const spec of imports(f)) {
        if (spec === 'zod' || spec === 'yaml') continue;
        expect(spec, `${f} imports ${spec}`).toMatch(/^\.\.?\//);
        expect(relative(ROOT, join(ROOT, f, '..', spec)), `${f} imports ${spec}`).toMatch(/^src-shared\//);
      }
  });

  it('src-shared uses no Node, Electron or DOM globals', () => {
    const globals = /\b(process|Buffer|require|__dirname|window|document|navigator|localStorage|ipcRenderer)\b/;
    for (const f of files('src-shared')) expect(code(f), f).not.toMatch(globals);
  });

  it('the renderer never imports src-main, and src-main never imports the renderer', () => {
    for (const f of files('src-renderer')) {
      for (const spec of imports(f)) expect(spec, f).not.toMatch(/src-main|^node:|^electron$/);
    }
    for (const f of files('src-main')) for (const spec of imports(f)) expect(spec, f).not.toMatch(/src-renderer/);
  });
});
