// pmem-lab report merge FILE.json...: the grid report of a matrix from its
// cells' results, wherever they ran.
import { join, resolve } from 'node:path';
import { readGrid, writeGrid } from '../matrix/grid-files';
import type { CommandArgs } from './spec';

/** exit 0 when every cell agrees, 1 when one differs, failed or is missing, 2 on an error */
export async function reportCommand(args: CommandArgs): Promise<number> {
  const read = await readGrid(args.rest);
  const { header, cells } = read.grid;
  const outDir = resolve(args.options.get('out') ?? join('matrix-out', header.name));
  const written = await writeGrid(read, outDir);
  const missing = header.rows.flatMap((r) =>
    header.columns.map((c) => `${r.id}.${c}`).filter((id) => !cells.some((x) => x.id === id)),
  );
  for (const f of written.withoutReport)
    process.stderr.write(`no step report beside ${f} (its .html): its cell in the grid links to nothing\n`);
  if (args.flags.has('json'))
    console.log(
      JSON.stringify(
        {
          matrix: header.name,
          report: written.report,
          cells: cells.map((c) => ({
            id: c.id,
            status: c.status,
            fidelity: { matched: c.fidelity.matched, total: c.fidelity.total },
          })),
          missing,
          withoutReport: written.withoutReport,
        },
        null,
        2,
      ),
    );
  else {
    const n = (s: string) => cells.filter((c) => c.status === s).length;
    console.log(
      `${header.name}: ${n('agree')} agree, ${n('differ')} differ, ${n('error')} error` +
        (missing.length ? `, ${missing.length} without a result (${missing.join(', ')})` : ''),
    );
    console.log(`report: ${written.report}`);
  }
  return !missing.length && cells.every((c) => c.status === 'agree') ? 0 : 1;
}
