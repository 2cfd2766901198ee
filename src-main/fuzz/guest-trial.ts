// One fuzz candidate on a real guest and on the model, through the one path
// `pmem-lab run` takes: the guest runner answers each step and the ledger
// makes its timeline entry, model and comparison included.
import type { TimelineEntry } from '../../src-shared/api/contract';
import { judge, type Divergence } from '../../src-shared/fuzz/divergence';
import type { Candidate } from '../../src-shared/fuzz/minimize';
import { formatErrors, validateProfile } from '../../src-shared/profile/validate';
import type { Prepared } from '../guest/lab';
import { runScenario } from '../guest/scenario-run';
import type { Vm } from '../guest/vm';

export interface GuestRun {
  entries: TimelineEntry[];
  kernel?: string;
  /** the guest failed (did not boot, a step timed out, QEMU went away): the entries stop before it */
  error?: string;
}

/** A candidate run on one boot; `onVm` hears of the guest so Ctrl-C can stop it. */
export async function runCandidate(
  c: Candidate,
  name: string,
  prepared: Prepared,
  onVm: (vm: Vm | undefined) => void,
): Promise<GuestRun> {
  const v = validateProfile(c.profile);
  if (!v.ok) throw new Error(`generated profile ${name} is invalid:\n${formatErrors(v.errors)}`);
  try {
    const r = await runScenario({ name, description: '', profile: name, steps: c.steps }, v.value, prepared, { onVm });
    return {
      entries: r.entries,
      ...(r.real ? { kernel: r.real.kernel } : {}),
      ...(r.failure ? { error: r.failure.message } : {}),
    };
  } finally {
    onVm(undefined);
  }
}

/** The trial the minimizer runs: a candidate's divergences, or undefined when the guest failed. */
export const guestTrial =
  (prepared: Prepared, name: string, onVm: (vm: Vm | undefined) => void) =>
  async (c: Candidate): Promise<Divergence[] | undefined> => {
    const r = await runCandidate(c, name, prepared, onVm);
    return r.error ? undefined : judge(r.entries).divergences;
  };
