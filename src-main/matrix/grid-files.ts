// The grid report of a set of cell results, written as a matrix folder:
// index.html, and cells/ID.json and cells/ID.html beside it. `pmem-lab matrix`
// calls it on the results it has just written, `report merge` on results
// gathered from elsewhere (CI jobs): the same results give the same page.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gridOf, type Grid } from '../../src-shared/matrix/result';
import { renderGrid } from '../../src-shared/report/grid';
import { writeFileAtomic } from '../util/atomic';
import { cellFiles } from './cell';
import { MatrixError } from './load';

export interface WrittenGrid {
  grid: Grid;
  /** index.html */
  report: string;
  /** results whose step report (FILE.html beside FILE.json) was not there: their cells link to nothing */
  withoutReport: string[];
}

export interface ReadGrid {
  grid: Grid;
  /** each file given, and the cell it holds */
  files: { file: string; id: string }[];
}

/** The results read and checked; each problem names its file. */
export async function readGrid(files: readonly string[]): Promise<ReadGrid> {
  const read = await Promise.all(
    files.map(async (f) => {
      const file = resolve(f);
      const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new MatrixError(`${file}: ${e.code === 'ENOENT' ? 'not found' : e.message}`);
      });
      try {
        return { file, data: JSON.parse(text) as unknown };
      } catch (e) {
        throw new MatrixError(`${file} is not JSON (${(e as Error).message}): give the cells' .json results`);
      }
    }),
  );
  const r = gridOf(read);
  if (!r.ok) throw new MatrixError(r.errors.join('\n'));
  // gridOf checked every file's cell
  return { grid: r.grid, files: read.map((x) => ({ file: x.file, id: (x.data as { cell: { id: string } }).cell.id })) };
}

/**
 * Writes `outDir`/index.html from the results, and brings each result and its
 * step report into `outDir`/cells/ under its cell's id (files already there
 * stay as they are).
 */
export async function writeGrid({ grid, files }: ReadGrid, outDir: string): Promise<WrittenGrid> {
  const withoutReport: string[] = [];
  for (const { file, id } of files) {
    const to = cellFiles(outDir, id);
    const from = { json: file, html: file.replace(/(\.json)?$/, '.html') };
    if (from.json !== to.json) await writeFileAtomic(to.json, await readFile(from.json));
    if (from.html === to.html) continue;
    const html = await readFile(from.html).catch(() => undefined);
    if (html) await writeFileAtomic(to.html, html);
    else withoutReport.push(from.json);
  }
  const report = join(outDir, 'index.html');
  await writeFileAtomic(report, renderGrid(grid));
  return { grid, report, withoutReport };
}
