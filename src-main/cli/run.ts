import { loadScenario } from '../session/scenarios';
import { prepare } from '../session/lab';
import { runOnGuest, type StepReport } from '../session/runner';
import { describeStep } from '../../src-shared/scenario/schema';
import { UsageError, type ParsedArgs } from './args';
import { prepareOptions } from './options';
import { stopOnSignals } from './signals';
import type { Vm } from '../session/vm';

/** pmem-lab run SCENARIO: every step on the real guest, a snapshot after each. */
export async function runCommand(args: ParsedArgs): Promise<number> {
  const ref = args.positional[0];
  if (!ref) throw new UsageError('run needs a SCENARIO');
  const json = args.flags.has('json');
  const { scenario, profile } = await loadScenario(ref);
  const prepared = await prepare(profile, prepareOptions(args));
  process.stderr.write(`running ${scenario.name} on ${profile.name} (${prepared.accel.accel}: ${prepared.accel.reason})\n`);
  let vm: Vm | undefined;
  const release = stopOnSignals(async () => vm?.stop());
  try {
    const real = await runOnGuest(scenario, profile, prepared, {
      onVm: (v) => (vm = v),
      onStep: (r, i) => {
        if (!json) printStep(r, i);
      },
    });
    if (json) {
      console.log(JSON.stringify({ scenario: scenario.name, kernel: real.kernel, qemu: prepared.qemu, accel: prepared.accel.accel, timings: real.timings, steps: real.steps }, null, 2));
    } else {
      console.log(`\n${scenario.name}: ${real.steps.length - 1} steps, ready in ${real.timings.ready_ms} ms`);
    }
    return 0;
  } finally {
    release();
  }
}

function printStep(r: StepReport, i: number): void {
  if (!r.step) {
    console.log(`[boot] ${r.real?.iomem.split('\n').length ?? 0} iomem lines, ${r.real?.memoryBlocks.length ?? 0} memory blocks`);
    return;
  }
  console.log(`\n[${i}] ${describeStep(r.step)}  (exit ${r.exitCode})`);
  if (r.output?.trim()) console.log(r.output.trimEnd().replace(/^/gm, '    '));
}
