// pmem-lab matrix FILE.yaml: every cell (a scenario on a profile and kernel)
// run as `pmem-lab run` runs it, several at once within the host's cores and
// memory, into a folder: each cell's result and step report, and the grid.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { estimatedHostRss } from '../../src-shared/profile/cost';
import type { Profile } from '../../src-shared/profile/schema';
import { runOrder } from '../../src-shared/matrix/cells';
import { renderJUnit } from '../../src-shared/report/junit';
import { fidelityLine } from '../../src-shared/report/text';
import { guestCap } from '../backend/guest-cap';
import { prepare, type Prepared } from '../guest/lab';
import { hostMemory } from '../guest/host-memory';
import type { Vm } from '../guest/vm';
import { runCell, type CellOutcome } from '../matrix/cell';
import { readGrid, writeGrid } from '../matrix/grid-files';
import { checkKernels, loadMatrix, type LoadedMatrix, type PlannedCell } from '../matrix/load';
import { runPool } from '../matrix/pool';
import { writeFileAtomic } from '../util/atomic';
import { bootLine } from './format';
import { prepareOptions } from './options';
import { stopOnSignals } from './signals';
import { UsageError, type CommandArgs } from './spec';

/** exit 0 when every cell agrees, 1 when one differs or its guest failed, 2 on an error */
export async function matrixCommand(args: CommandArgs): Promise<number> {
  const loaded = await loadMatrix(args.positional!); // required in matrix-spec.ts
  const only = args.options.get('cell');
  if (args.flags.has('list-cells')) {
    if (only !== undefined) throw new UsageError('--list-cells lists every cell: leave out --cell');
    listCells(loaded, args.flags.has('json'));
    return 0;
  }
  const cells = only === undefined ? loaded.cells : [findCell(loaded, only)];
  await checkKernels(loaded, cells);
  const outDir = resolve(args.options.get('out') ?? join('matrix-out', loaded.header.name));
  const { slots, why } = slotsOf(args.options.get('max-guests'));
  const opts = prepareOptions(args);
  const prepared = new Map<string, Promise<Prepared>>();
  const prepareFor = (p: Profile) => {
    const key = JSON.stringify([p.kernel, p.accel]);
    if (!prepared.has(key)) prepared.set(key, prepare(p, opts));
    return prepared.get(key)!;
  };
  const vms = new Set<Vm>();
  const release = stopOnSignals(async () => {
    await Promise.allSettled([...vms].map((vm) => vm.stop()));
  });
  process.stderr.write(
    `matrix ${loaded.header.name}: ${cells.length} cell${cells.length === 1 ? '' : 's'}, up to ${slots} at once ` +
      `(${why}), into ${outDir}\n`,
  );
  const outcomes = new Map<string, CellOutcome>();
  const broken: Error[] = [];
  try {
    const ctx = { header: loaded.header, outDir, prepare: prepareFor, vms };
    const jobs = runOrder(loaded.header, cells).map((c) => ({ ...c, group: c.row, cost: estimatedHostRss(c.profile) }));
    await runPool(
      jobs,
      { slots, memory: (await hostMemory()).available, warmUp: opts.checkpoint !== 'cold' },
      async (cell, booted) => {
        const up = () => {
          process.stderr.write(`  ${cell.id}: guest up, ${cell.scenario.steps.length} steps to run\n`);
          booted();
        };
        // a guest's failure is the cell's result; what fails here (writing its files) is the host's, and ends the run
        const o = await runCell(cell, { ...ctx, booted: up }).catch((e: unknown) => void broken.push(e as Error));
        if (!o) return;
        outcomes.set(o.id, o);
        process.stderr.write(`[${outcomes.size}/${cells.length}] ${describe(o)}\n`);
      },
    );
  } finally {
    release();
  }
  if (broken[0]) throw broken[0];
  // the grid's order, whatever order the cells ended in
  const done = cells.map((c) => outcomes.get(c.id)!);
  const junit = args.options.get('junit');
  if (junit) {
    await writeFileAtomic(
      resolve(junit),
      renderJUnit(
        `pmem-lab matrix ${loaded.header.name}`,
        done.map((o) => o.suite),
      ),
    );
    process.stderr.write(`JUnit results written to ${resolve(junit)}\n`);
  }
  // read back from the files, as report merge reads them: the same results, the same page
  const grid = only === undefined ? await writeGrid(await readGrid(done.map((o) => o.files.json)), outDir) : undefined;
  if (args.flags.has('json'))
    console.log(
      JSON.stringify(
        {
          matrix: loaded.header.name,
          out: outDir,
          ...(grid ? { report: grid.report } : {}),
          cells: done.map((o) => ({
            id: o.id,
            status: o.status,
            fidelity: { matched: o.fidelity.matched, total: o.fidelity.total },
            ...(o.error !== undefined ? { error: o.error } : {}),
            ...o.files,
          })),
        },
        null,
        2,
      ),
    );
  else {
    const n = (s: CellOutcome['status']) => done.filter((o) => o.status === s).length;
    console.log(`${loaded.header.name}: ${n('agree')} agree, ${n('differ')} differ, ${n('error')} error`);
    console.log(grid ? `report: ${grid.report}` : `result: ${done[0]!.files.json}\nreport: ${done[0]!.files.html}`);
  }
  return done.every((o) => o.status === 'agree') ? 0 : 1;
}

function describe(o: CellOutcome): string {
  const what =
    o.status === 'error' ? `error: ${o.error!.split('\n', 1)[0]}` : `${o.status} (${fidelityLine(o.fidelity)})`;
  return `${o.id}: ${what}; ${o.boot ? `${bootLine(o.boot)}, ` : ''}${Math.round(o.wallMs / 1000)} s`;
}

function findCell(loaded: LoadedMatrix, id: string): PlannedCell {
  const cell = loaded.cells.find((c) => c.id === id);
  if (!cell)
    throw new UsageError(
      `--cell ${id}: no such cell in matrix ${loaded.header.name}; its cells: ` +
        loaded.cells.map((c) => c.id).join(', '),
    );
  return cell;
}

/** Guests at once: one per core (each keeps one busy under TCG) within the guest cap, or --max-guests. */
function slotsOf(given: string | undefined): { slots: number; why: string } {
  try {
    if (given !== undefined) return { slots: guestCap(given, '--max-guests').max, why: 'set by --max-guests' };
    const cap = guestCap();
    const cores = availableParallelism();
    return cap.max <= cores
      ? { slots: cap.max, why: cap.why }
      : { slots: cores, why: `one per core (${cores}), and the memory their guests need` };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The cells, one a line; or, with --json, one line of JSON a CI job matrix takes as it is (examples/ci/). */
function listCells(loaded: LoadedMatrix, json: boolean): void {
  const rows = new Map(loaded.header.rows.map((r) => [r.id, r]));
  const cells = loaded.cells.map((c) => ({
    id: c.id,
    row: c.row,
    column: c.column,
    scenario: c.scenario.name,
    profile: c.profile.name,
    ...(rows.get(c.row)!.kernel ? { kernel: rows.get(c.row)!.kernel } : {}),
  }));
  if (json) console.log(JSON.stringify(cells));
  else
    for (const c of cells)
      console.log(`${c.id}  ${c.scenario} on ${c.profile}${c.kernel ? `, kernel ${c.kernel}` : ''}`);
}
