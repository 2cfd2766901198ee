// A matrix's grid: rows (profile x kernel), columns (scenarios) and the cells
// where they cross, each with an id that names it on the command line
// (`matrix FILE --cell ID`), in CI job names and as its result's file name.

/** A profile on a kernel; either is absent where the matrix leaves it to the scenario, or to the profile. */
export interface MatrixRow {
  id: string;
  profile?: string;
  kernel?: string;
}

/** Everything the grid needs that no one cell knows: every cell's result carries it, so a merge needs no file. */
export interface MatrixHeader {
  name: string;
  description: string;
  rows: MatrixRow[];
  /** the scenarios' names */
  columns: string[];
}

export interface CellRef {
  id: string;
  row: string;
  column: string;
}

/**
 * The profile part of a row's id when the matrix lists no profiles. Ids are
 * names (letters, digits, "-") joined by dots: file names, and never two alike.
 */
export const ROW_FOR_OWN_PROFILE = 'own';

/**
 * Rows profile-major (each profile on each kernel), then the scenarios;
 * labels must be unique within their list (the caller checks, naming the entry).
 */
export function expandMatrix(
  name: string,
  description: string,
  labels: { profiles?: readonly string[]; kernels?: readonly string[]; scenarios: readonly string[] },
): { header: MatrixHeader; cells: CellRef[] } {
  const profiles: (string | undefined)[] = labels.profiles ? [...labels.profiles] : [undefined];
  const kernels: (string | undefined)[] = labels.kernels ? [...labels.kernels] : [undefined];
  const rows = profiles.flatMap((profile) =>
    kernels.map((kernel) => ({
      id: [profile ?? ROW_FOR_OWN_PROFILE, ...(kernel ? [kernel] : [])].join('.'),
      ...(profile ? { profile } : {}),
      ...(kernel ? { kernel } : {}),
    })),
  );
  const columns = [...labels.scenarios];
  const cells = rows.flatMap((r) => columns.map((c) => ({ id: `${r.id}.${c}`, row: r.id, column: c })));
  return { header: { name, description, rows, columns }, cells };
}

/**
 * The order cells start in: scenario by scenario, each on every row, so the
 * first cells to run boot every row once (saving its checkpoint) before any
 * row boots twice.
 */
export function runOrder<C extends CellRef>(header: MatrixHeader, cells: readonly C[]): C[] {
  const rank = (c: CellRef) =>
    header.columns.indexOf(c.column) * header.rows.length + header.rows.findIndex((r) => r.id === c.row);
  return [...cells].sort((a, b) => rank(a) - rank(b));
}

/** How a row reads in the grid. */
export function rowLabel(r: MatrixRow): string {
  const profile = r.profile ?? "each scenario's own profile";
  return r.kernel ? `${profile} · kernel ${r.kernel}` : profile;
}
