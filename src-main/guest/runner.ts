// Runs a scenario on a real guest: boot, a snapshot after boot, then each
// step (console line through the probe, or QMP) followed by a snapshot.
import type { CheckpointUse } from '../checkpoint/guest';
import type { Scenario, Step } from '../../src-shared/scenario/schema';
import { describeStep } from '../../src-shared/scenario/schema';
import type { RealSide } from '../../src-shared/ledger';
import type { Snapshot } from '../../src-shared/snapshot/types';
import type { Profile } from '../../src-shared/profile/schema';
import { checkUserQmp, type QmpCommand } from '../../src-shared/actions/qmp-allow';
import { QmpError } from '../qemu/qmp';
import { placeHotAddedRam } from './hot-ram';
import { executeAndSettle } from './hotplug-wait';
import { bootProfile, type Prepared } from './lab';
import type { Vm } from './vm';

/** What the guest answered to a step: what it printed, its exit status, and the snapshot after it. */
export type StepAnswer = Required<Pick<RealSide, 'output' | 'exitCode' | 'snapshot'>>;

export interface RealRun {
  kernel: string;
  /** restored from its checkpoint, or booted cold and why */
  boot?: CheckpointUse;
  timings: { kit_ms: number; ready_ms: number; first_snapshot_ms: number; steps_ms: number };
}

export class StepError extends Error {}

/**
 * A QMP step outside the memory vocabulary: refused before QEMU sees
 * it. `field` is relative to the step (qmp.execute, qmp.arguments.X).
 */
export class QmpRefusedError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

const DEFAULT_STEP_TIMEOUT_S = 60;

export async function runOnGuest(
  scenario: Scenario,
  profile: Profile,
  prepared: Prepared,
  hooks: {
    onVm?: (vm: Vm) => void;
    onBoot?: (snapshot: Snapshot) => void;
    onStep?: (step: Step, answer: StepAnswer) => void;
  } = {},
): Promise<RealRun> {
  const vm = await bootProfile(profile, prepared);
  hooks.onVm?.(vm);
  try {
    const t0 = performance.now();
    const boot = await vm.snapshot();
    const first_snapshot_ms = vm.readyMs! + Math.round(performance.now() - t0);
    hooks.onBoot?.(boot);
    const tSteps = performance.now();
    for (const [i, step] of scenario.steps.entries()) hooks.onStep?.(step, await runStep(vm, step, i + 1));
    return {
      kernel: boot.kernel,
      ...(vm.checkpoint ? { boot: vm.checkpoint } : {}),
      timings: {
        kit_ms: prepared.kitMs,
        ready_ms: vm.readyMs!,
        first_snapshot_ms,
        steps_ms: Math.round(performance.now() - tSteps),
      },
    };
  } finally {
    await vm.stop();
  }
}

/** The QMP command as it will reach this guest's QEMU, or QmpRefusedError. */
export function allowedQmp(vm: Vm, cmd: QmpCommand): QmpCommand {
  const v = checkUserQmp(cmd, { maxmem: vm.options.profile.memory.maxmem, runDir: vm.runDir });
  if (!v.ok) throw new QmpRefusedError(v.field, v.reason);
  return v.command;
}

export async function runStep(vm: Vm, step: Step, n: number): Promise<StepAnswer> {
  const timeoutMs = (step.timeout ?? DEFAULT_STEP_TIMEOUT_S) * 1000;
  const name = `step ${n} (${describeStep(step)})`;
  if ('model' in step)
    return { output: '(model-only: not run on the guest)', exitCode: 0, snapshot: await vm.snapshot() };
  const sent: { run: string } | { qmp: QmpCommand } =
    'run' in step ? { run: step.run } : { qmp: allowedQmp(vm, step.qmp) };
  let output: string;
  let exitCode: number;
  try {
    if ('run' in sent) ({ output, exitCode } = await vm.run(sent.run, timeoutMs));
    else {
      try {
        const placed = await placeHotAddedRam({ id: vm.id, pid: vm.pid, held: vm.ram?.held }, sent.qmp);
        const { execute, arguments: args } = placed.command;
        const guest = (c: string, ms: number) => vm.probe!.run(c, ms, false);
        const r = await executeAndSettle(vm.qmp!, execute, args, timeoutMs, name, guest).catch(async (e) => {
          await placed.done(false);
          throw e;
        });
        await placed.done(true);
        output = JSON.stringify({ return: r });
        exitCode = 0;
      } catch (e) {
        if (!(e instanceof QmpError)) throw e;
        output = JSON.stringify({ error: { class: e.errorClass, desc: e.desc } });
        exitCode = 1;
      }
    }
  } catch (e) {
    throw new StepError(`${name} failed: ${(e as Error).message}`);
  }
  return { output, exitCode, snapshot: await vm.snapshot() };
}
