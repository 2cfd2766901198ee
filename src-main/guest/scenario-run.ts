// A scenario on a real guest and, in lockstep, on the model: the guest runner
// answers each step and the ledger makes its timeline entry. `pmem-lab run`,
// each cell of `pmem-lab matrix` and each fuzz candidate run through here.
import type { TimelineEntry } from '../../src-shared/api/contract';
import { StepLedger } from '../../src-shared/ledger';
import type { Profile } from '../../src-shared/profile/schema';
import type { Scenario } from '../../src-shared/scenario/schema';
import type { Prepared } from './lab';
import { runOnGuest, type RealRun } from './runner';
import type { Vm } from './vm';

export interface ScenarioRun {
  /** every entry made, up to the guest's failure if it failed */
  entries: TimelineEntry[];
  /** the guest's side in full; absent when it failed */
  real?: RealRun;
  /** the guest failed: it did not boot, a step timed out, QEMU went away */
  failure?: Error;
}

export async function runScenario(
  scenario: Scenario,
  profile: Profile,
  prepared: Prepared,
  hooks: { onVm?: (vm: Vm) => void; onEntry?: (e: TimelineEntry) => void } = {},
): Promise<ScenarioRun> {
  const ledger = new StepLedger(profile);
  const show = (e: TimelineEntry) => hooks.onEntry?.(e);
  try {
    const real = await runOnGuest(scenario, profile, prepared, {
      ...(hooks.onVm ? { onVm: hooks.onVm } : {}),
      onBoot: (snapshot) => show(ledger.boot({ snapshot })),
      onStep: (step, answer) => show(ledger.step('scenario', step, answer)),
    });
    return { entries: ledger.entries, real };
  } catch (e) {
    return { entries: ledger.entries, failure: e instanceof Error ? e : new Error(String(e)) };
  }
}
