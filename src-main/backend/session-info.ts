// What a session says of itself (SessionInfo): its phase, the guest's boot and command line, the model's state,
// and the checkpoints it can rewind to.
import type { Phase, SessionInfo } from '../../src-shared/api/contract';
import type { StepLedger } from '../../src-shared/ledger';
import type { Prepared } from '../guest/lab';
import type { Vm } from '../guest/vm';
import type { StepCheckpoints } from './step-checkpoints';

export interface SessionParts {
  id: string;
  profile: string;
  phase: Phase;
  ledger: StepLedger;
  phaseMs: Partial<Record<Phase, number>>;
  steps: StepCheckpoints;
  prepared?: Prepared;
  vm?: Vm;
  reason?: string;
}

export function sessionInfo(s: SessionParts): SessionInfo {
  const { vm, prepared, ledger } = s;
  const outOfSync = ledger.outOfSync;
  const kernel = ledger.entries[0]?.real?.snapshot?.kernel;
  return {
    id: s.id,
    profile: s.profile,
    phase: s.phase,
    rules: ledger.rules,
    ...(prepared ? { accel: prepared.accel.accel, accelWhy: prepared.accel.reason, qemu: prepared.qemu } : {}),
    ...(vm?.readyMs !== undefined ? { readyMs: vm.readyMs } : {}),
    ...(vm?.checkpoint && vm.readyMs !== undefined
      ? { boot: { from: vm.checkpoint.from, ...(vm.checkpoint.why ? { why: vm.checkpoint.why } : {}) } }
      : {}),
    phaseMs: { ...s.phaseMs },
    ...(vm?.argv.length ? { argv: vm.argv } : {}),
    ...(kernel ? { kernel } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    ...(outOfSync ? { outOfSync } : {}),
    ...s.steps.info(),
  };
}
