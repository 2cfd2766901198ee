// A scenario's run as a JUnit test suite (`--junit` on run, matrix and fuzz):
// one test case per timeline entry, the boot included, with its fidelity by
// dimension as properties; a failure carrying the differences where model and
// guest disagree, an error where the guest failed, and the steps it never
// reached skipped.
import type { TimelineEntry } from '../api/contract';
import { DIMENSIONS, type StepFidelity } from '../compare';
import { describeStep, type Step } from '../scenario/schema';
import type { JUnitCase, JUnitOutcome, JUnitProperty, JUnitSuite } from './junit';
import { differenceLines, fidelityLine } from './text';

export interface RunForJUnit {
  /** the suite's name and every case's classname: the scenario, or the matrix cell */
  name: string;
  /** the scenario's steps: those after a guest failure have no entry */
  steps: readonly Step[];
  entries: readonly TimelineEntry[];
  /** the guest failed (did not boot, a step timed out, QEMU went away) after the last entry */
  error?: string;
  /** the time the boot took, ms (the boot's case time; a step's is the time since the entry before it) */
  bootMs?: number;
  properties?: readonly JUnitProperty[];
  timestamp?: string;
}

const caseName = (n: number, step: Step | undefined) =>
  n === 0 || !step ? `[${n}] boot` : `[${n}] ${describeStep(step)}`;

function fidelityProperties(f: StepFidelity): JUnitProperty[] {
  return [
    { name: 'fidelity', value: `${f.matched}/${f.total}` },
    ...DIMENSIONS.map((d) => ({
      name: `fidelity.${d}`,
      value: `${f.byDimension[d].matched}/${f.byDimension[d].total}`,
    })),
  ];
}

/** What the entry says of model and guest: nothing when they agree in every dimension. */
function verdict(e: TimelineEntry): JUnitOutcome | undefined {
  const c = e.comparison;
  if (c) {
    if (c.fidelity.matched === c.fidelity.total) return undefined;
    const dims = DIMENSIONS.filter((d) => c.fidelity.byDimension[d].matched !== c.fidelity.byDimension[d].total);
    return {
      kind: 'failure',
      type: 'differ',
      message: `model and guest differ in ${dims.join(', ')} (fidelity ${fidelityLine(c.fidelity)})`,
      text: differenceLines(c).join('\n'),
    };
  }
  if (e.model?.outOfSync) {
    const message = `model out of sync: ${e.model.outOfSync}`;
    return { kind: 'failure', type: 'out-of-sync', message, text: message };
  }
  if (e.model?.modelOnly && e.view)
    return {
      kind: 'skipped',
      message:
        e.step && 'model' in e.step
          ? 'model-only: not run on the guest'
          : 'not compared: a model-only step before it changed the model alone',
    };
  const message = e.real?.overlapped ? `not compared: ${e.real.overlapped}` : 'not compared: no guest snapshot';
  return { kind: 'failure', type: 'not-compared', message, text: message };
}

function entryCase(r: RunForJUnit, e: TimelineEntry, before: TimelineEntry | undefined): JUnitCase {
  const time = before ? (e.at - before.at) / 1000 : r.bootMs !== undefined ? r.bootMs / 1000 : undefined;
  const outcome = verdict(e);
  return {
    name: caseName(e.n, e.step ?? undefined),
    classname: r.name,
    ...(time !== undefined ? { time: Math.max(0, time) } : {}),
    ...(e.comparison ? { properties: fidelityProperties(e.comparison.fidelity) } : {}),
    ...(outcome ? { outcome } : {}),
    ...(e.real?.output?.trim() ? { systemOut: e.real.output } : {}),
  };
}

/** The entries' cases, then the guest's failure at the next step and the steps it never reached. */
export function junitSuite(r: RunForJUnit): JUnitSuite {
  const cases = r.entries.map((e, i) => entryCase(r, e, r.entries[i - 1]));
  if (r.error !== undefined) {
    const failed = r.entries.length;
    const where = failed === 0 ? 'at boot' : failed <= r.steps.length ? `at step ${failed}` : 'after the last step';
    cases.push({
      name: failed <= r.steps.length ? caseName(failed, r.steps[failed - 1]) : `[${failed}] stopping the guest`,
      classname: r.name,
      outcome: {
        kind: 'error',
        type: 'guest',
        message: `the guest failed ${where}: ${firstLine(r.error)}`,
        text: r.error,
      },
    });
    for (let n = failed + 1; n <= r.steps.length; n++)
      cases.push({
        name: caseName(n, r.steps[n - 1]),
        classname: r.name,
        outcome: { kind: 'skipped', message: `not run: the guest failed ${where}` },
      });
  }
  return {
    name: r.name,
    ...(r.timestamp ? { timestamp: r.timestamp } : {}),
    ...(r.properties?.length ? { properties: r.properties } : {}),
    cases,
  };
}

/** A suite's properties: what the scenario ran on. */
export function runProperties(
  profile: string,
  head: { kernel?: string | undefined; qemu?: string | undefined; accel?: string | undefined },
): JUnitProperty[] {
  const named = [['profile', profile], ...(['kernel', 'qemu', 'accel'] as const).map((k) => [k, head[k]])];
  return named.flatMap(([name, value]) => (value ? [{ name: name!, value }] : []));
}

const firstLine = (s: string) => s.split('\n', 1)[0]!;

/** A suite's timestamp: the start of the run, in UTC without a zone or fraction (JUnit's Ant format). */
export const junitTimestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19);
