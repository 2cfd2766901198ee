import { loadScenario } from '../session/scenarios';
import { prepare } from '../session/lab';
import { runOnGuest } from '../session/runner';
import { compareRun, type ComparedStep } from '../session/compare-run';
import { compareSnapshots } from '../../src-shared/compare';
import { describeStep } from '../../src-shared/scenario/schema';
import type { CommandArgs } from './spec';
import { prepareOptions } from './options';
import { stopOnSignals } from './signals';
import type { Vm } from '../session/vm';
import { resolve } from 'node:path';
import { renderReport } from '../../src-shared/report/html';
import type { TimelineEntry } from '../../src-shared/api/contract';
import { writeFileAtomic } from '../util/atomic';

/** pmem-lab run SCENARIO: every step on the real guest and on the model; exit 0 when they agree at every step, 1 when not. */
export async function runCommand(args: CommandArgs): Promise<number> {
  const json = args.flags.has('json');
  const { scenario, profile } = await loadScenario(args.positional!); // required in commands.ts
  const prepared = await prepare(profile, prepareOptions(args));
  process.stderr.write(`running ${scenario.name} on ${profile.name} (${prepared.accel.accel}: ${prepared.accel.reason})\n`);
  let vm: Vm | undefined;
  const release = stopOnSignals(async () => vm?.stop());
  try {
    const real = await runOnGuest(scenario, profile, prepared, { onVm: (v) => (vm = v) });
    const reportFile = args.options.get('report');
    const compared = compareRun(scenario, profile, real.steps, '6.1', { explain: !!reportFile });
    if (reportFile) {
      const html = renderReport({ title: `pmem-lab run ${scenario.name}`, profile: profile.name, kernel: real.kernel, qemu: prepared.qemu, accel: prepared.accel.accel, generatedAt: new Date().toISOString(), steps: compared.steps.map(toTimelineEntry) });
      await writeFileAtomic(resolve(reportFile), html);
      process.stderr.write(`report written to ${resolve(reportFile)}\n`);
    }
    if (json) {
      console.log(JSON.stringify({ scenario: scenario.name, kernel: real.kernel, qemu: prepared.qemu, accel: prepared.accel.accel, timings: real.timings, steps: compared.steps, fidelity: compared.fidelity }, null, 2));
    } else {
      compared.steps.forEach(printStep);
      console.log(`\n${scenario.name}: ${compared.agree ? 'model and guest agree' : 'model and guest DIFFER'} (${compared.fidelity.matched}/${compared.fidelity.total} lines and blocks), ready in ${real.timings.ready_ms} ms`);
    }
    return compared.agree ? 0 : 1;
  } finally {
    release();
  }
}

function printStep(r: ComparedStep, i: number): void {
  const fid = r.fidelity ? `${r.fidelity.matched}/${r.fidelity.total}` : 'model out of sync';
  console.log(r.step ? `\n[${i}] ${describeStep(r.step)}  (exit ${r.exitCode}; fidelity ${fid})` : `[boot] fidelity ${fid}`);
  if (r.output?.trim()) console.log(r.output.trimEnd().replace(/^/gm, '    '));
  if (r.outOfSync) console.log(`    model: out of sync: ${r.outOfSync}`);
  for (const d of r.diff?.iomem ?? []) console.log(`  ${d.side === 'real' ? '-' : '+'} ${d.side.padEnd(5)} ${d.text}`);
  for (const d of r.diff?.blocks ?? []) console.log(`  ! memory${d.id}: real ${JSON.stringify(d.real)} model ${JSON.stringify(d.model)}`);
}

/** A scenario step in the report's terms (the same shape the app's timeline uses). */
const compareRows = (real: Parameters<typeof compareSnapshots>[0], model: Parameters<typeof compareSnapshots>[1]) => {
  const c = compareSnapshots(real, model);
  return { iomem: c.iomem, blocks: c.blocks };
};

function toTimelineEntry(r: ComparedStep, n: number): TimelineEntry {
  const step = r.step;
  return {
    n,
    at: 0,
    source: step ? 'scenario' : 'boot',
    step,
    ...(step ? { sent: describeStep(step) } : {}),
    real: { ...(r.output !== undefined ? { output: r.output } : {}), ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), ...(r.real ? { snapshot: r.real } : {}), ...(r.error ? { error: r.error } : {}) },
    model: { ...(r.modelOutput !== undefined ? { output: r.modelOutput } : {}), ...(r.modelExitCode !== undefined ? { exitCode: r.modelExitCode } : {}), ...(r.outOfSync ? { outOfSync: r.outOfSync } : {}), ...(r.modelOnly ? { modelOnly: true } : {}) },
    ...(r.model ? { view: { rules: '6.1', snapshot: r.model, explanations: r.explanations ?? [], sections: { sectionCount: 0, subsectionCount: 0, mappings: [] } } } : {}),
    ...(r.fidelity && r.real && r.model ? { comparison: { fidelity: r.fidelity, ...compareRows(r.real, r.model) } } : {}),
  };
}
