// One cell of a matrix: its scenario run as `pmem-lab run` runs it (the same
// runner and ledger), then its files: the result (the `run --json` shape with
// the cell's place and the grid's frame), its step-by-step report, and its
// JUnit suite for the caller. A guest that fails makes an `error` cell; it
// never stops the others.
import { join } from 'node:path';
import { runJson, summarize, type RunHead } from '../../src-shared/ledger';
import type { MatrixHeader } from '../../src-shared/matrix/cells';
import type { CellStatus } from '../../src-shared/matrix/result';
import type { StepFidelity } from '../../src-shared/compare';
import type { Profile } from '../../src-shared/profile/schema';
import { renderReport } from '../../src-shared/report/html';
import type { JUnitSuite } from '../../src-shared/report/junit';
import { junitSuite, junitTimestamp, runProperties } from '../../src-shared/report/junit-run';
import type { CheckpointUse } from '../checkpoint/guest';
import type { Prepared } from '../guest/lab';
import { runScenario, type ScenarioRun } from '../guest/scenario-run';
import type { Vm } from '../guest/vm';
import { writeFileAtomic } from '../util/atomic';
import type { PlannedCell } from './load';

export interface CellContext {
  header: MatrixHeader;
  outDir: string;
  /** the kit and accelerator for a profile (shared by the cells that boot the same kernel) */
  prepare: (profile: Profile) => Promise<Prepared>;
  /** the guest is up (or will never be): the pool may start the row's other cells */
  booted: () => void;
  /** the guests running, so Ctrl-C stops each */
  vms: Set<Vm>;
}

export interface CellOutcome {
  id: string;
  status: CellStatus;
  fidelity: StepFidelity;
  error?: string;
  boot?: CheckpointUse;
  wallMs: number;
  suite: JUnitSuite;
  /** the result and the step report */
  files: { json: string; html: string };
}

/** Where a cell's files go in a matrix folder: cells/ID.json and cells/ID.html, as the grid links them. */
export const cellFiles = (outDir: string, id: string) => ({
  json: join(outDir, 'cells', `${id}.json`),
  html: join(outDir, 'cells', `${id}.html`),
});

export async function runCell(cell: PlannedCell, ctx: CellContext): Promise<CellOutcome> {
  const started = Date.now();
  let prepared: Prepared | undefined;
  let run: ScenarioRun;
  let vm: Vm | undefined;
  try {
    prepared = await ctx.prepare(cell.profile);
    run = await runScenario(cell.scenario, cell.profile, prepared, {
      onVm: (v) => {
        vm = v;
        ctx.vms.add(v);
        ctx.booted();
      },
    });
  } catch (e) {
    run = { entries: [], failure: e instanceof Error ? e : new Error(String(e)) };
  } finally {
    if (vm) ctx.vms.delete(vm);
  }
  const { entries, real, failure } = run;
  // restored or cold, known from the guest even when it failed after booting
  const boot = real?.boot ?? vm?.checkpoint;
  const { fidelity, agree } = summarize(entries);
  const status: CellStatus = failure ? 'error' : agree ? 'agree' : 'differ';
  const head: RunHead = {
    scenario: cell.scenario.name,
    ...optional('kernel', real?.kernel ?? entries[0]?.real?.snapshot?.kernel),
    ...optional('qemu', prepared?.qemu),
    ...optional('accel', prepared?.accel.accel),
    ...optional('boot', boot),
  };
  const error = failure?.message;
  const result = {
    cell: { id: cell.id, row: cell.row, column: cell.column, profile: cell.profile.name, status },
    matrix: ctx.header,
    ...runJson(head, entries, {
      ...(real ? { timings: real.timings } : {}),
      explain: true,
      ...optional('error', error),
    }),
  };
  const files = cellFiles(ctx.outDir, cell.id);
  await writeFileAtomic(files.json, `${JSON.stringify(result, null, 2)}\n`);
  const report = renderReport({
    title: `pmem-lab matrix ${ctx.header.name}: ${cell.id}`,
    profile: cell.profile.name,
    ...head,
    generatedAt: new Date(started).toISOString(),
    steps: entries,
    ...optional('error', error),
  });
  await writeFileAtomic(files.html, report);
  const suite = junitSuite({
    name: cell.id,
    steps: cell.scenario.steps,
    entries,
    ...optional('error', error),
    ...optional('bootMs', real?.timings.ready_ms),
    properties: [...runProperties(cell.profile.name, head), { name: 'scenario', value: cell.scenario.name }],
    timestamp: junitTimestamp(started),
  });
  return {
    id: cell.id,
    status,
    fidelity,
    ...optional('error', error),
    ...optional('boot', boot),
    wallMs: Date.now() - started,
    suite,
    files,
  };
}

/** `{ key: value }`, or nothing when the value is undefined (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
