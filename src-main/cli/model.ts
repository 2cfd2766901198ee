import { modelJsonStep, StepLedger } from '../../src-shared/ledger';
import { DEFAULT_KERNEL_RULES, type KernelRules } from '../../src-shared/model';
import { describeStep } from '../../src-shared/scenario/schema';
import { loadScenario } from '../store/scenarios';
import type { CommandArgs } from './spec';

/**
 * pmem-lab model SCENARIO: the model alone, through the same ledger as a run
 * with no guest beside it; prints the predicted /proc/iomem after the last
 * step it followed (--explain: with the rule behind each line).
 */
export async function modelCommand(args: CommandArgs): Promise<number> {
  // one of its choices in commands.ts
  const rules = (args.options.get('kernel-rules') ?? DEFAULT_KERNEL_RULES) as KernelRules;
  const { scenario, profile } = await loadScenario(args.positional!); // required in commands.ts
  const ledger = new StepLedger(profile, rules);
  ledger.boot();
  for (const step of scenario.steps) {
    const e = ledger.step('scenario', step);
    if (e.model?.outOfSync && !args.flags.has('json'))
      process.stderr.write(`out of sync at "${describeStep(step)}": ${e.model.outOfSync}\n`);
  }
  const last = [...ledger.entries].reverse().find((e) => e.view)?.view;
  const notModelled = ledger.entries[0]?.view?.notModelled;
  if (notModelled && !args.flags.has('json')) process.stderr.write(`not modelled: ${notModelled.join(' ')}\n`);
  if (args.flags.has('json')) {
    const explained = (last?.explanations ?? []).map(({ text, rule, source }) => ({ line: text, rule, source }));
    console.log(
      JSON.stringify(
        {
          scenario: scenario.name,
          kernel: `model ${rules}`,
          ...(notModelled ? { notModelled } : {}),
          steps: ledger.entries.map(modelJsonStep),
          iomemExplained: explained,
        },
        null,
        2,
      ),
    );
  } else if (args.flags.has('explain')) {
    const rows = (last?.explanations ?? []).map((x) => [x.text, `${x.rule} (${x.source})`] as const);
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [l, w] of rows) console.log(`${l.padEnd(width)}  # ${w}`);
  } else process.stdout.write(last?.snapshot.iomem ?? '');
  return ledger.outOfSync ? 1 : 0;
}
