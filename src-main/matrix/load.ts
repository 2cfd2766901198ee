// A matrix file, read and checked before anything boots: its schema, then
// every profile and scenario it names (each scenario's QMP steps against each
// profile it will run on), names that must be unique, and, for the cells about
// to run, their kernels. Every problem is reported, each naming its field and
// line, and what to do.
import { access, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { checkUserQmp } from '../../src-shared/actions/qmp-allow';
import { expandMatrix, type CellRef, type MatrixHeader } from '../../src-shared/matrix/cells';
import { kernelLabel, parseMatrixYaml, type Matrix, type MatrixKernel } from '../../src-shared/matrix/schema';
import type { Profile } from '../../src-shared/profile/schema';
import type { Scenario } from '../../src-shared/scenario/schema';
import { fieldPath, formatErrors, yamlLocator, type FieldError } from '../../src-shared/validation';
import { profileKernel } from '../kernel-build/profile-kernel';
import { loadProfile } from '../store/profiles';
import { loadScenario } from '../store/scenarios';

export class MatrixError extends Error {}

/** A cell ready to run: the scenario, and the profile it runs on with the row's kernel in place. */
export interface PlannedCell extends CellRef {
  scenario: Scenario;
  profile: Profile;
  /** where the cell's kernel comes from in the matrix file, for errors: kernels[i], profiles[i] or scenarios[j] */
  kernelField: string;
}

export interface LoadedMatrix {
  path: string;
  matrix: Matrix;
  header: MatrixHeader;
  /** in the grid's order: row by row */
  cells: PlannedCell[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A kernel entry as a profile's `kernel` takes it, its paths made absolute against the matrix file's folder. */
function kernelSource(k: MatrixKernel, base: string): Profile['kernel'] {
  if (k === 'host') return 'host';
  if ('preset' in k) return { preset: k.preset };
  return { path: resolve(base, k.path), modules: resolve(base, k.modules) };
}

export async function loadMatrix(file: string): Promise<LoadedMatrix> {
  const path = resolve(file);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new MatrixError(`matrix file ${path} not found`);
  });
  const parsed = parseMatrixYaml(text);
  if (!parsed.ok) throw new MatrixError(`${path} is invalid:\n${formatErrors(parsed.errors)}`);
  const m = parsed.value;
  const base = dirname(path);
  const at = yamlLocator(text);
  const errors: FieldError[] = [];
  const fail = (field: (string | number)[], msg: string) =>
    errors.push({ field: fieldPath(field), message: msg, ...at(field) });

  /** Each entry loaded, or its error; the second entry with a name already taken is an error too. */
  async function each<T>(
    key: 'profiles' | 'scenarios',
    refs: readonly string[],
    load: (ref: string) => Promise<T>,
    nameOf: (t: T) => string,
  ) {
    const out: T[] = [];
    const seen = new Map<string, number>();
    for (const [i, ref] of refs.entries()) {
      try {
        const t = await load(ref);
        const first = seen.get(nameOf(t));
        if (first !== undefined)
          fail(
            [key, i],
            `${ref === nameOf(t) ? ref : `"${ref}" is named ${nameOf(t)}, which`} is listed already ` +
              `(${key}[${first}]): list each once`,
          );
        else seen.set(nameOf(t), i);
        out.push(t);
      } catch (e) {
        fail([key, i], message(e));
      }
    }
    return out;
  }
  const profiles =
    m.profiles &&
    (await each(
      'profiles',
      m.profiles,
      (r) => loadProfile(r, base),
      (p) => p.name,
    ));
  const scenarios = await each(
    'scenarios',
    m.scenarios,
    (r) => loadScenario(r, base),
    (s) => s.scenario.name,
  );
  const labels = (m.kernels ?? []).map(kernelLabel);
  for (const [i, l] of labels.entries())
    if (labels.indexOf(l) !== i)
      fail(
        ['kernels', i],
        `a second kernel labelled "${l}" (as kernels[${labels.indexOf(l)}]): give it a name of its own`,
      );
  if (errors.length) throw new MatrixError(`${path} is invalid:\n${formatErrors(errors)}`);

  const { header, cells } = expandMatrix(m.name, m.description, {
    ...(profiles ? { profiles: profiles.map((p) => p.name) } : {}),
    ...(m.kernels ? { kernels: labels } : {}),
    scenarios: scenarios.map((s) => s.scenario.name),
  });
  const planned = cells.map((c): PlannedCell => {
    const row = header.rows.find((r) => r.id === c.row)!;
    const j = header.columns.indexOf(c.column);
    const s = scenarios[j]!;
    const pi = profiles ? profiles.findIndex((p) => p.name === row.profile) : -1;
    const ki = m.kernels ? labels.indexOf(row.kernel!) : -1;
    const own = pi >= 0 ? profiles![pi]! : s.profile;
    const profile = ki >= 0 ? { ...own, kernel: kernelSource(m.kernels![ki]!, base) } : own;
    const kernelField = ki >= 0 ? `kernels[${ki}]` : pi >= 0 ? `profiles[${pi}]` : `scenarios[${j}]`;
    return { ...c, scenario: s.scenario, profile, kernelField };
  });
  // a scenario's QMP steps were checked against its own profile when it loaded; check them on the others too
  for (const c of planned)
    for (const [k, step] of c.scenario.steps.entries()) {
      const v = 'qmp' in step ? checkUserQmp(step.qmp, { maxmem: c.profile.memory.maxmem }) : undefined;
      if (v && !v.ok)
        fail(
          ['scenarios', header.columns.indexOf(c.column)],
          `steps[${k}].${v.field} on profile ${c.profile.name}: ${v.reason}`,
        );
    }
  if (errors.length) throw new MatrixError(`${path} is invalid:\n${formatErrors(errors)}`);
  return { path, matrix: m, header, cells: planned };
}

/**
 * The kernels the cells will boot, checked before any boots: a preset must be
 * built, a build of yours must be there. Booting never builds a kernel.
 */
export async function checkKernels(loaded: LoadedMatrix, cells: readonly PlannedCell[]): Promise<void> {
  const problems = new Map<string, string>();
  for (const c of cells) {
    const k = c.profile.kernel;
    if (k === 'host' || problems.has(c.kernelField)) continue;
    try {
      if ('preset' in k) await profileKernel(k);
      else
        for (const [key, p] of [
          ['path', k.path],
          ['modules', k.modules],
        ] as const)
          await access(p).catch(() => {
            throw new Error(`kernel.${key}: ${p} is not there: build your kernel first, or fix the path`);
          });
    } catch (e) {
      // a profile's field (kernel.preset): in the matrix's own kernels, kernels[i].preset
      const own = c.kernelField.startsWith('kernels');
      problems.set(
        c.kernelField,
        own ? `${c.kernelField}.${message(e).replace(/^kernel\./, '')}` : `${c.kernelField}: ${message(e)}`,
      );
    }
  }
  if (problems.size)
    throw new MatrixError(`${loaded.path}: kernels the cells need are missing:\n${[...problems.values()].join('\n')}`);
}
