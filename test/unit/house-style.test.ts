// House style (README "Tests"): no line of code or comment is longer than
// 120 characters. Prettier wraps code at that width but leaves long comments
// and string literals alone, so this test holds those to it too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FOLDERS = ['src-shared', 'src-main', 'src-renderer', 'test', 'scripts'];
/** Recorded from real guests, byte for byte. */
const SKIPPED = new Set(['test/fixtures']);
const SOURCE = /\.(ts|svelte|cjs)$/;
const MAX_LINE = 120;

/** Every source file under `dir`, as paths relative to the checkout. */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = relative(ROOT, join(ROOT, dir, e.name));
    if (e.isDirectory() && e.name !== 'node_modules' && !SKIPPED.has(path)) out.push(...sources(path));
    else if (e.isFile() && SOURCE.test(e.name)) out.push(path);
  }
  return out;
}

/** "path:line (length)" for each line of `text` longer than `max` characters. */
function longLines(path: string, text: string, max = MAX_LINE): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => ([...line].length > max ? [`${path}:${i + 1} (${[...line].length})`] : []));
}

describe('house style', () => {
  it(`keeps every line of src-*, test and scripts within ${MAX_LINE} characters`, () => {
    const files = FOLDERS.flatMap(sources);
    expect(files.length).toBeGreaterThan(200);
    expect(files.flatMap((f) => longLines(f, readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('notices a long line, and counts characters, not bytes', () => {
    const ok = `// ${'x'.repeat(MAX_LINE - 3)}`;
    expect(longLines('a.ts', `${ok}\n${ok}x\n`)).toEqual([`a.ts:2 (${MAX_LINE + 1})`]);
    expect(longLines('b.ts', `// ${'→'.repeat(MAX_LINE - 3)}`)).toEqual([]);
  });
});
