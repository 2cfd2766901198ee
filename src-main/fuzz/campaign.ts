// pmem-lab fuzz: generated profiles and steps, each run on a real guest and
// the model; every divergence found is written as a scenario file, minimized
// (within a trial budget) the first time its signature shows up.
import { join } from 'node:path';
import { Document, isCollection, isScalar, isSeq, visit } from 'yaml';
import { judge, signature, type Divergence } from '../../src-shared/fuzz/divergence';
import { minimize, type Candidate, type Minimized } from '../../src-shared/fuzz/minimize';
import { drawScenario } from '../../src-shared/fuzz/draw';
import { describeStep } from '../../src-shared/scenario/schema';
import { writeFileAtomic } from '../util/atomic';
import type { Prepared } from '../guest/lab';
import type { Vm } from '../guest/vm';
import { guestTrial, runCandidate, type GuestRun } from './guest-trial';

export interface FuzzOptions {
  seed: number;
  count: number;
  /** steps per scenario: drawn between 1 and this */
  maxSteps: number;
  ramSizes?: readonly number[];
  /** guest runs spent minimizing each new divergence signature */
  minimizeBudget: number;
  outDir: string;
  /** scenarios drawn on each generated profile (default 1; src-shared/fuzz/draw.ts) */
  perProfile?: number;
}

export interface FoundDivergence extends Divergence {
  scenario: string;
  /** the step as written in the scenario (absent for the boot) */
  step?: string;
  /** a scenario file that reproduces it */
  file: string;
  /** how the file was minimized; absent when it is the generated scenario cut at the diverging step */
  minimized?: { trials: number; kept: number; steps: number; fromSteps: number };
  /** the file of the same signature's minimized scenario, when this one was not minimized */
  sameAs?: string;
}

export interface ScenarioRun {
  name: string;
  steps: number;
  agreeing: number;
  uncompared: number;
  divergences: number;
  error?: string;
  errorFile?: string;
  wall_ms: number;
}

export interface FuzzResult {
  kernel?: string;
  scenarios: ScenarioRun[];
  divergences: FoundDivergence[];
}

export interface FuzzHooks {
  onVm: (vm: Vm | undefined) => void;
  onScenario?: (s: ScenarioRun, index: number) => void;
  /** a generated scenario's own run, with its steps and entries (minimizing trials are not reported) */
  onRun?: (name: string, steps: Candidate['steps'], run: GuestRun) => void;
  progress?: (line: string) => void;
}

export async function fuzz(opts: FuzzOptions, prepared: Prepared, hooks: FuzzHooks): Promise<FuzzResult> {
  const result: FuzzResult = { scenarios: [], divergences: [] };
  const minimizedBy = new Map<string, string>();
  for (let i = 0; i < opts.count; i++) {
    const t0 = performance.now();
    const { name, input, steps } = drawScenario(opts.seed, i, opts);
    const generated: Candidate = { profile: input, steps };
    hooks.progress?.(`[${i + 1}/${opts.count}] ${name}: ${describeProfile(input)}, ${steps.length} steps`);
    const run = await runCandidate(generated, name, prepared, hooks.onVm);
    hooks.onRun?.(name, steps, run);
    result.kernel ??= run.kernel;
    const v = judge(run.entries);
    const s: ScenarioRun = {
      name,
      steps: v.steps,
      agreeing: v.agreeing,
      uncompared: v.uncompared,
      divergences: v.divergences.length,
      wall_ms: 0,
    };
    if (run.error) {
      s.error = run.error;
      // the steps that ran and the one that failed (none when the guest did not boot)
      s.errorFile = await writeScenario(opts.outDir, `${name}-error`, cut(generated, run.entries.length), run.error);
    }
    for (const [k, d] of v.divergences.entries()) {
      const found = cut(generated, d.n);
      const base = { ...d, scenario: name, ...(d.n ? { step: describeStep(steps[d.n - 1]!) } : {}) };
      const sig = signature(d);
      const fileName = `${name}-${d.n === 0 ? 'boot' : `step${d.n}`}`;
      if (k === 0 && !minimizedBy.has(sig) && opts.minimizeBudget > 0) {
        hooks.progress?.(`  minimizing ${sig} (up to ${opts.minimizeBudget} guest runs)`);
        const m = await minimize(found, d, guestTrial(prepared, name, hooks.onVm), opts.minimizeBudget);
        const file = await writeScenario(opts.outDir, fileName, m.candidate, reproduces(d, m));
        minimizedBy.set(sig, file);
        result.divergences.push({ ...base, file, minimized: minimizedInfo(m, found) });
      } else {
        const file = await writeScenario(opts.outDir, fileName, found, reproduces(d));
        const sameAs = minimizedBy.get(sig);
        result.divergences.push({ ...base, file, ...(sameAs ? { sameAs } : {}) });
      }
    }
    s.wall_ms = Math.round(performance.now() - t0);
    result.scenarios.push(s);
    hooks.onScenario?.(s, i);
  }
  return result;
}

/** The generated scenario up to and including step n (n = 0: the boot alone). */
const cut = (c: Candidate, n: number): Candidate => ({ profile: c.profile, steps: c.steps.slice(0, n) });

const minimizedInfo = (m: Minimized, from: Candidate) => ({
  trials: m.trials,
  kept: m.kept,
  steps: m.candidate.steps.length,
  fromSteps: from.steps.length,
});

function reproduces(d: Divergence, m?: Minimized): string {
  const at = d.n === 0 ? 'at boot' : 'at its last step';
  const how = m ? `; minimized in ${m.trials} guest runs (${m.kept} kept)` : '';
  return `pmem-lab fuzz: model and guest differ ${at} in ${d.classes.join(', ')} (${d.kind})${how}`;
}

function describeProfile(p: Candidate['profile']): string {
  const parts = [`${p.machine === 'q35' ? 'q35, ' : ''}${String(p.memory.size)} RAM`];
  if (p.numa) parts.push(`${p.numa.length} nodes`);
  if (p.nvdimms?.length) parts.push(`${p.nvdimms.length} NVDIMMs`);
  if (p.kernelArgs?.length) parts.push(p.kernelArgs.join(' '));
  return parts.join(', ');
}

/** Written on one line each, as the shipped profiles and scenarios write them. */
const FLOW_VALUES = new Set(['memory', 'kernelArgs', 'qmp']);
const FLOW_ITEMS = new Set(['numa', 'nvdimms']);

/** A scenario file with the profile inline, as `pmem-lab run FILE` reads it. */
async function writeScenario(dir: string, name: string, c: Candidate, description: string): Promise<string> {
  const path = join(dir, `${name}.yaml`);
  const doc = new Document({ name, description, profile: { ...c.profile, name }, steps: c.steps });
  visit(doc, {
    Pair(_, { key, value }) {
      if (!isScalar(key) || !isCollection(value)) return;
      if (FLOW_VALUES.has(String(key.value))) value.flow = true;
      if (FLOW_ITEMS.has(String(key.value)) && isSeq(value))
        for (const item of value.items) if (isCollection(item)) item.flow = true;
    },
  });
  await writeFileAtomic(path, doc.toString({ lineWidth: 0 }));
  return path;
}
