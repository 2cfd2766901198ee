// Minimizing a divergence: delta debugging over the steps before the diverging
// one (Zeller's ddmin, which stays the last step), then simpler profiles (no
// kernel arguments, fewer NVDIMMs, no NUMA, less RAM). Every candidate is a
// trial on a real guest and the model, so trials are bounded, and a candidate
// is kept only if its first divergence is still the same: same class, same
// kind of step, at its last step.
import type { ProfileInput } from '../profile/schema';
import { validateProfile } from '../profile/validate';
import type { Step } from '../scenario/schema';
import { GiB, parseSize } from '../units';
import { signature, type Divergence } from './divergence';

export interface Candidate {
  profile: ProfileInput;
  steps: Step[];
}

/** Runs a candidate on a guest and the model: its divergences in order, or undefined if the run failed. */
export type Trial = (c: Candidate) => Promise<Divergence[] | undefined>;

export interface Minimized {
  candidate: Candidate;
  /** trials spent */
  trials: number;
  /** candidates that kept the divergence */
  kept: number;
}

/**
 * The smallest candidate found within `budget` trials that still diverges
 * like `target` does; `found` ends at the diverging step (or has no steps
 * for a divergence at boot).
 */
export async function minimize(found: Candidate, target: Divergence, trial: Trial, budget: number): Promise<Minimized> {
  const want = signature(target);
  const out: Minimized = { candidate: found, trials: 0, kept: 0 };
  const attempt = async (c: Candidate): Promise<boolean> => {
    if (out.trials >= budget || !validateProfile(c.profile).ok) return false;
    out.trials++;
    const first = (await trial(c))?.[0];
    const same = first !== undefined && first.n === c.steps.length && signature(first) === want;
    if (same) {
      out.candidate = c;
      out.kept++;
    }
    return same;
  };
  await dropSteps(out, attempt);
  for (const simplify of SIMPLIFICATIONS)
    for (let simpler = true; simpler && out.trials < budget;) {
      simpler = false;
      for (const p of simplify(out.candidate))
        if (await attempt({ ...out.candidate, profile: p })) {
          simpler = true;
          break;
        }
    }
  return out;
}

/** ddmin over the steps before the last: first all of them, then halves, quarters ... */
async function dropSteps(out: Minimized, attempt: (c: Candidate) => Promise<boolean>): Promise<void> {
  const { profile, steps } = out.candidate;
  if (steps.length < 2) return;
  const last = steps[steps.length - 1]!;
  const withLast = (prefix: Step[]): Candidate => ({ profile, steps: [...prefix, last] });
  let prefix = steps.slice(0, -1);
  if (await attempt(withLast([]))) return;
  let n = 2;
  while (prefix.length > 1) {
    const chunk = Math.ceil(prefix.length / n);
    let reduced = false;
    for (let i = 0; i < prefix.length; i += chunk) {
      const complement = [...prefix.slice(0, i), ...prefix.slice(i + chunk)];
      if (await attempt(withLast(complement))) {
        prefix = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= prefix.length) return;
      n = Math.min(n * 2, prefix.length);
    }
  }
}

type Simplification = (c: Candidate) => ProfileInput[];

const bytes = (v: string | number | undefined): number => (v === undefined ? 0 : (parseSize(v) ?? 0));
const usesQmp = (c: Candidate) => c.steps.some((s) => 'qmp' in s);
const without = <T>(xs: readonly T[], i: number): T[] => [...xs.slice(0, i), ...xs.slice(i + 1)];

/** Each gives the simpler profiles to try, one change away; none when there is nothing left to simplify that way. */
export const SIMPLIFICATIONS: readonly Simplification[] = [
  // one kernel argument fewer
  ({ profile: p }) => (p.kernelArgs ?? []).map((_, i) => ({ ...p, kernelArgs: without(p.kernelArgs!, i) })),
  // the last NVDIMM (an earlier one would renumber the regions the steps name)
  ({ profile: p }) => (p.nvdimms?.length ? [{ ...p, nvdimms: p.nvdimms.slice(0, -1) }] : []),
  // no NUMA: everything on node 0
  ({ profile: p }) => {
    if (!p.numa) return [];
    const flat = { ...p, nvdimms: p.nvdimms?.map((d) => ({ ...d, node: 0 })) ?? [] };
    delete flat.numa;
    return [flat];
  },
  // no hotplug memory when nothing needs it
  (c) =>
    c.profile.memory.slots !== undefined && !c.profile.nvdimms?.length && !usesQmp(c)
      ? [{ ...c.profile, memory: { size: c.profile.memory.size } }]
      : [],
  // less RAM: 2 GiB, else 1 GiB (not with NUMA, whose nodes add up to it)
  ({ profile: p }) => {
    const size = bytes(p.memory.size);
    const smaller = [2 * GiB, GiB].find((s) => s < size);
    if (p.numa || smaller === undefined) return [];
    const maxmem = p.memory.maxmem !== undefined ? bytes(p.memory.maxmem) - size + smaller : undefined;
    return [{ ...p, memory: { ...p.memory, size: smaller, ...(maxmem ? { maxmem } : {}) } }];
  },
  // two CPUs, as the shipped profiles have
  ({ profile: p }) => (!p.numa && p.cpus !== undefined && p.cpus !== 2 ? [{ ...p, cpus: 2 }] : []),
];
