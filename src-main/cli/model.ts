import { loadScenario } from '../session/scenarios';
import type { KernelRules } from '../../src-shared/model';
import { applyStep, startModel } from '../../src-shared/scenario/apply';
import { describeStep } from '../../src-shared/scenario/schema';
import type { CommandArgs } from './spec';
import { formatIomemLine } from '../../src-shared/snapshot/iomem';

/** pmem-lab model SCENARIO: the model alone; prints the predicted /proc/iomem after the last step (--explain: with the rule behind each line). */
export async function modelCommand(args: CommandArgs): Promise<number> {
  const rules = (args.options.get('kernel-rules') ?? '6.1') as KernelRules; // one of its choices in commands.ts
  const { scenario, profile } = await loadScenario(args.positional!); // required in commands.ts
  const start = startModel(profile, { kernel: rules });
  if (!start.ok) {
    if (args.flags.has('json')) console.log(JSON.stringify({ scenario: scenario.name, kernel: `model ${rules}`, steps: [null, ...scenario.steps].map((step) => ({ step, outOfSync: start.outOfSync })) }, null, 2));
    else process.stderr.write(`out of sync from boot: ${start.outOfSync}\n`);
    return 1;
  }
  const model = start.model;
  const steps: unknown[] = [{ step: null, model: model.snapshot() }];
  let synced = true;
  for (const step of scenario.steps) {
    const r = applyStep(model, step);
    if (!r.ok) {
      synced = false;
      steps.push({ step, outOfSync: r.outOfSync });
      if (!args.flags.has('json')) process.stderr.write(`out of sync at "${describeStep(step)}": ${r.outOfSync}\n`);
      continue;
    }
    steps.push({ step, output: r.result.output, exitCode: r.result.exitCode, explanations: r.result.explanations, model: model.snapshot() });
  }
  if (args.flags.has('json')) {
    const explained = model.explainIomem().map(({ line, why }) => ({ line: formatIomemLine(line), ...why }));
    console.log(JSON.stringify({ scenario: scenario.name, kernel: `model ${rules}`, steps, iomemExplained: explained }, null, 2));
  } else if (args.flags.has('explain')) {
    const rows = model.explainIomem().map(({ line, why }) => [formatIomemLine(line), `${why.rule} (${why.source})`] as const);
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [l, w] of rows) console.log(`${l.padEnd(width)}  # ${w}`);
  } else process.stdout.write(model.snapshot().iomem);
  return synced ? 0 : 1;
}
