// The grid report from cell results: checked like any untrusted input, built
// in the matrix's order from the results alone, so any order of the same
// files gives the same bytes, and every cell shows agree, differ or error.
import { describe, expect, it } from 'vitest';
import { noFidelity } from '../../../src-shared/compare';
import { gridOf, type Grid } from '../../../src-shared/matrix/result';
import { renderGrid } from '../../../src-shared/report/grid';
import { header, result } from './cell-results';

const files = () => [
  { file: 'a/p1.s1.json', data: result('p1.s1') },
  { file: 'b/p1.s2.json', data: result('p1.s2', { exitCode: 1, kernel: '6.12.0' }) },
  { file: 'c/p2.s1.json', data: result('p2.s1', { error: 'step 1 (x) failed: QEMU exited\n<script>' }) },
];

const grid = (fs: { file: string; data: unknown }[]): Grid => {
  const r = gridOf(fs);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.grid;
};

describe('the matrix grid', () => {
  it("takes the results run --json's projection writes, and shows agree, differ, error and a missing cell", () => {
    const html = renderGrid(grid(files()));
    expect(html).toContain(
      '<p>4 cells: 1 agree, 1 differ, 1 error, 1 without a result · kernel 6.1.0-56-amd64 · kernel 6.12.0 · QEMU',
    );
    expect(html).toMatch(
      /<td class="agree"><a href="cells\/p1\.s1\.html" title="[^"]+">agree<\/a><div class="fid">(\d+)\/\1</,
    );
    expect(html).toMatch(/<td class="differ"><a href="cells\/p1\.s2\.html"[^>]*>differ<\/a>.*from step 1</);
    expect(html).toContain('<td class="error"><a href="cells/p2.s1.html"');
    expect(html).toContain('step 1 (x) failed: QEMU exited</div>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<p>two &#60;profiles&#62;</p>');
    expect(html).toContain('<td class="missing">no result</td>');
    // rows then columns, in the matrix's order
    const order = [...html.matchAll(/href="cells\/([^"]+)\.html"/g)].map((m) => m[1]);
    expect(order).toEqual(['p1.s1', 'p1.s2', 'p2.s1']);
  });

  it('gives the same bytes for the same results in any order', () => {
    const fs = files();
    const first = renderGrid(grid(fs));
    for (const order of [
      [2, 1, 0],
      [1, 0, 2],
      [0, 2, 1],
    ])
      expect(renderGrid(grid(order.map((i) => ({ ...fs[i]!, file: `elsewhere/${i}.json` }))))).toBe(first);
  });

  it('names the file and the field of a result it cannot take, and refuses mixed matrices and twins', () => {
    const bad = gridOf([{ file: 'x.json', data: { scenario: 's1', steps: [], fidelity: noFidelity() } }]);
    expect(bad).toEqual({ ok: false, errors: [expect.stringMatching(/^x\.json is not a cell result .*\ncell: /)] });
    const status = result('p1.s1');
    (status.cell as { status: string }).status = 'fine';
    expect(gridOf([{ file: 'y.json', data: status }])).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/cell\.status: /)],
    });
    const other = { ...result('p2.s2'), matrix: { ...header, name: 'other' } };
    expect(gridOf([...files(), { file: 'o.json', data: other }])).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^o\.json belongs to another matrix than a\/p1\.s1\.json \(matrix "other"/)],
    });
    expect(gridOf([...files(), { file: 'again.json', data: result('p1.s1') }])).toEqual({
      ok: false,
      errors: ['again.json and a/p1.s1.json are both cell "p1.s1": give each cell once'],
    });
    const stray = { ...result('p1.s1'), cell: { ...result('p1.s1').cell, id: 'p3.s1', row: 'p3' } };
    expect(gridOf([{ file: 's.json', data: stray }])).toMatchObject({
      ok: false,
      errors: [/is not a cell of its matrix/],
    });
    expect(gridOf([])).toEqual({ ok: false, errors: ['no cell results given'] });
  });
});
