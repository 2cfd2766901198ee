// pmem-lab report merge as a CI job calls it: results gathered in folders of
// their own (one per job), in any order, joined into one grid with each
// cell's files beside it; a bad set of results refused with each file named.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { result } from './cell-results';

const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[]) => execa('node', [join(ROOT, 'bin/pmem-lab.js'), ...args], { reject: false, cwd: dir });

/** As download-artifact leaves them: artifacts/cell-ID/cells/ID.json and ID.html. */
function artifact(id: string, data: unknown, report = true): string {
  const cells = join(dir, 'artifacts', `cell-${id}`, 'cells');
  mkdirSync(cells, { recursive: true });
  writeFileSync(join(cells, `${id}.json`), JSON.stringify(data, null, 2));
  if (report) writeFileSync(join(cells, `${id}.html`), `<p>${id}'s steps</p>`);
  return join(cells, `${id}.json`);
}

describe('pmem-lab report merge', { timeout: 60_000 }, () => {
  const files = [
    artifact('p1.s1', result('p1.s1')),
    artifact('p1.s2', result('p1.s2', { exitCode: 1 })),
    artifact('p2.s1', result('p2.s1', { error: 'QEMU exited' }), false),
  ];

  it("joins the results into one grid, whatever their order, with each cell's files beside it", async () => {
    const a = await cli(['report', 'merge', ...files, '--out', 'a']);
    const b = await cli(['report', 'merge', ...[...files].reverse(), '--out', 'b', '--json']);
    expect(a.exitCode, a.stderr).toBe(1);
    expect(a.stdout).toBe(
      `smoke: 1 agree, 1 differ, 1 error, 1 without a result (p2.s2)\nreport: ${join(dir, 'a/index.html')}`,
    );
    expect(a.stderr).toContain(`no step report beside ${files[2]} (its .html): its cell in the grid links to nothing`);
    expect(JSON.parse(b.stdout)).toMatchObject({ matrix: 'smoke', missing: ['p2.s2'], withoutReport: [files[2]] });
    expect(readFileSync(join(dir, 'b/index.html'), 'utf8')).toBe(readFileSync(join(dir, 'a/index.html'), 'utf8'));
    expect(readdirSync(join(dir, 'a/cells')).sort()).toEqual([
      'p1.s1.html',
      'p1.s1.json',
      'p1.s2.html',
      'p1.s2.json',
      'p2.s1.json',
    ]);
    expect(readFileSync(join(dir, 'a/cells/p1.s1.html'), 'utf8')).toBe("<p>p1.s1's steps</p>");
    expect(readFileSync(join(dir, 'a/cells/p1.s2.json'), 'utf8')).toBe(readFileSync(files[1]!, 'utf8'));
  });

  it("exits 0 when every cell is there and agrees, into the matrix's own folder by default", async () => {
    const all = ['p1.s1', 'p1.s2', 'p2.s1', 'p2.s2'].map((id) => artifact(`${id}`, result(id)));
    const r = await cli(['report', 'merge', ...all]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(`smoke: 4 agree, 0 differ, 0 error\nreport: ${join(dir, 'matrix-out/smoke/index.html')}`);
  });

  it("refuses, with exit 2, what is not one matrix's cells given once, naming each file", async () => {
    const twin = await cli(['report', 'merge', files[0]!, files[0]!]);
    expect(twin.exitCode).toBe(2);
    expect(twin.stderr).toContain(`${files[0]} and ${files[0]} are both cell "p1.s1": give each cell once`);
    writeFileSync(join(dir, 'junk.json'), '{"steps": [');
    const junk = await cli(['report', 'merge', join(dir, 'junk.json')]);
    expect(junk.exitCode).toBe(2);
    expect(junk.stderr).toMatch(/junk\.json is not JSON \(.*\): give the cells' \.json results/);
    const absent = await cli(['report', 'merge', join(dir, 'absent.json')]);
    expect(absent.stderr).toContain(`pmem-lab: ${join(dir, 'absent.json')}: not found`);
    const none = await cli(['report', 'merge']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('report needs a FILE.json');
  });
});
