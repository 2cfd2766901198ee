// A cell's result as `pmem-lab matrix` writes it: the `run --json` shape with
// the cell's place (`cell`) and the whole grid's frame (`matrix`) beside it.
// `report merge` reads such files from anywhere (CI artifacts), so they are
// checked like any untrusted input, and the grid is built from them alone:
// the same files give the same grid, whatever their order.
import { z } from 'zod';
import { DIMENSIONS, type StepFidelity } from '../compare';
import { formatErrors, validateWith } from '../validation';
import type { MatrixHeader } from './cells';

export const CELL_STATUSES = ['agree', 'differ', 'error'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

const count = z.number().int().nonnegative();
const fidelity = z.strictObject({ matched: count, total: count });
const stepFidelity = z.object({
  matched: count,
  total: count,
  byDimension: z.strictObject(
    Object.fromEntries(DIMENSIONS.map((d) => [d, fidelity])) as Record<(typeof DIMENSIONS)[number], typeof fidelity>,
  ),
});

export const MatrixHeaderSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  rows: z.array(z.strictObject({ id: z.string(), profile: z.string().optional(), kernel: z.string().optional() })),
  columns: z.array(z.string()),
});

export const CellResultSchema = z.object({
  cell: z.strictObject({
    id: z.string(),
    row: z.string(),
    column: z.string(),
    /** the profile the scenario ran on (the row's, or the scenario's own) */
    profile: z.string(),
    status: z.enum(CELL_STATUSES),
  }),
  matrix: MatrixHeaderSchema,
  kernel: z.string().optional(),
  qemu: z.string().optional(),
  accel: z.string().optional(),
  steps: z.array(z.object({ fidelity: stepFidelity.optional(), outOfSync: z.string().optional() })),
  fidelity: stepFidelity,
  error: z.string().optional(),
});

export interface GridCell {
  id: string;
  row: string;
  column: string;
  profile: string;
  status: CellStatus;
  fidelity: StepFidelity;
  /** the first step (0: the boot) where model and guest part, for a cell that differs */
  firstDifference?: number;
  error?: string;
  kernel?: string;
  qemu?: string;
  accel?: string;
}

export interface Grid {
  header: MatrixHeader;
  cells: GridCell[];
}

const firstDifference = (steps: z.output<typeof CellResultSchema>['steps']): number | undefined => {
  const i = steps.findIndex(
    (s) => s.outOfSync !== undefined || (s.fidelity && s.fidelity.matched !== s.fidelity.total),
  );
  return i < 0 ? undefined : i;
};

/**
 * The grid of a set of cell results, each given with the name it came by; or
 * every problem, each naming its file (and field): a file that is no cell
 * result, cells of different matrices, a cell that does not fit its frame,
 * the same cell twice.
 */
export function gridOf(
  files: readonly { file: string; data: unknown }[],
): { ok: true; grid: Grid } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  let frame: { file: string; header: MatrixHeader; key: string } | undefined;
  const byId = new Map<string, { file: string; cell: GridCell }>();
  for (const { file, data } of files) {
    const v = validateWith(CellResultSchema, data);
    if (!v.ok) {
      errors.push(`${file} is not a cell result of pmem-lab matrix:\n${formatErrors(v.errors)}`);
      continue;
    }
    const r = v.value;
    const key = JSON.stringify(r.matrix);
    frame ??= { file, header: r.matrix, key };
    if (key !== frame.key) {
      errors.push(
        `${file} belongs to another matrix than ${frame.file} (matrix "${r.matrix.name}" against ` +
          `"${frame.header.name}", or the same matrix with other rows or columns): merge one matrix's cells`,
      );
      continue;
    }
    const { id, row, column } = r.cell;
    if (!r.matrix.rows.some((x) => x.id === row) || !r.matrix.columns.includes(column) || id !== `${row}.${column}`) {
      errors.push(`${file}: cell "${id}" (row "${row}", column "${column}") is not a cell of its matrix`);
      continue;
    }
    const twin = byId.get(id);
    if (twin) {
      errors.push(`${file} and ${twin.file} are both cell "${id}": give each cell once`);
      continue;
    }
    const fd = r.cell.status === 'differ' ? firstDifference(r.steps) : undefined;
    byId.set(id, {
      file,
      cell: {
        ...r.cell,
        fidelity: r.fidelity,
        ...(fd !== undefined ? { firstDifference: fd } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.kernel !== undefined ? { kernel: r.kernel } : {}),
        ...(r.qemu !== undefined ? { qemu: r.qemu } : {}),
        ...(r.accel !== undefined ? { accel: r.accel } : {}),
      },
    });
  }
  if (!frame && !errors.length) errors.push('no cell results given');
  if (errors.length || !frame) return { ok: false, errors };
  const { header } = frame;
  // the frame's order, never the files'
  const cells = header.rows.flatMap((r) =>
    header.columns.flatMap((c) => {
      const found = byId.get(`${r.id}.${c}`);
      return found ? [found.cell] : [];
    }),
  );
  return { ok: true, grid: { header, cells } };
}
