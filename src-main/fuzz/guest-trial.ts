// One fuzz candidate on a real guest and on the model, through the one path
// `pmem-lab run` takes: the guest runner answers each step and the ledger
// makes its timeline entry, model and comparison included.
import type { TimelineEntry } from '../../src-shared/api/contract';
import { judge, type Divergence } from '../../src-shared/fuzz/divergence';
import type { Candidate } from '../../src-shared/fuzz/minimize';
import { StepLedger } from '../../src-shared/ledger';
import { formatErrors, validateProfile } from '../../src-shared/profile/validate';
import type { Prepared } from '../guest/lab';
import { runOnGuest } from '../guest/runner';
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
  const ledger = new StepLedger(v.value);
  try {
    const real = await runOnGuest({ name, description: '', profile: name, steps: c.steps }, v.value, prepared, {
      onVm,
      onBoot: (snapshot) => ledger.boot({ snapshot }),
      onStep: (step, answer) => ledger.step('scenario', step, answer),
    });
    return { entries: ledger.entries, kernel: real.kernel };
  } catch (e) {
    return { entries: ledger.entries, error: (e as Error).message };
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
