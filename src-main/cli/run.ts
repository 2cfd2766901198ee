import { resolve } from 'node:path';
import { runJsonStep, StepLedger, summarize } from '../../src-shared/ledger';
import { renderReport } from '../../src-shared/report/html';
import { describeStep } from '../../src-shared/scenario/schema';
import { differenceLines, fidelityLine } from '../../src-shared/report/text';
import type { TimelineEntry } from '../../src-shared/api/contract';
import { loadScenario } from '../store/scenarios';
import { prepare } from '../guest/lab';
import { runOnGuest } from '../guest/runner';
import type { Vm } from '../guest/vm';
import { writeFileAtomic } from '../util/atomic';
import { prepareOptions } from './options';
import { stopOnSignals } from './signals';
import { bootLine } from './format';
import { UsageError, type CommandArgs } from './spec';

/**
 * pmem-lab run SCENARIO: every step on the real guest and, in lockstep, on the
 * model (the ledger makes each step's timeline entry as soon as the guest has
 * answered); exit 0 when they agree at every step, 1 when not.
 */
export async function runCommand(args: CommandArgs): Promise<number> {
  const json = args.flags.has('json');
  const jsonl = args.flags.has('jsonl');
  if (json && jsonl) throw new UsageError('--json and --jsonl: pick one', 'run');
  const reportFile = args.options.get('report');
  const { scenario, profile } = await loadScenario(args.positional!); // required in commands.ts
  const prepared = await prepare(profile, prepareOptions(args));
  process.stderr.write(
    `running ${scenario.name} on ${profile.name} (${prepared.accel.accel}: ${prepared.accel.reason})\n`,
  );
  let vm: Vm | undefined;
  const release = stopOnSignals(async () => vm?.stop());
  const ledger = new StepLedger(profile);
  const show = (e: TimelineEntry) => (jsonl ? console.log(JSON.stringify(e)) : json ? undefined : printStep(e));
  try {
    const real = await runOnGuest(scenario, profile, prepared, {
      onVm: (v) => (vm = v),
      onBoot: (snapshot) => show(ledger.boot({ snapshot })),
      onStep: (step, answer) => show(ledger.step('scenario', step, answer)),
    });
    const { fidelity, agree } = summarize(ledger.entries);
    const head = {
      scenario: scenario.name,
      kernel: real.kernel,
      qemu: prepared.qemu,
      accel: prepared.accel.accel,
      ...(real.boot ? { boot: real.boot } : {}),
    };
    const notModelled = ledger.entries[0]?.view?.notModelled;
    if (notModelled && !json && !jsonl) process.stderr.write(`not modelled: ${notModelled.join(' ')}\n`);
    if (reportFile) {
      const html = renderReport({
        title: `pmem-lab run ${scenario.name}`,
        profile: profile.name,
        ...head,
        generatedAt: new Date().toISOString(),
        steps: ledger.entries,
      });
      await writeFileAtomic(resolve(reportFile), html);
      process.stderr.write(`report written to ${resolve(reportFile)}\n`);
    }
    if (json)
      console.log(
        JSON.stringify(
          {
            ...head,
            timings: real.timings,
            ...(notModelled ? { notModelled } : {}),
            steps: ledger.entries.map((e) => runJsonStep(e, { explain: !!reportFile })),
            fidelity,
          },
          null,
          2,
        ),
      );
    else if (jsonl) console.log(JSON.stringify({ summary: { ...head, timings: real.timings, fidelity, agree } }));
    else
      console.log(
        `\n${scenario.name}: ${agree ? 'model and guest agree' : 'model and guest DIFFER'} ` +
          `(${fidelityLine(fidelity)}), ready in ${real.timings.ready_ms} ms (${bootLine(real.boot)})`,
      );
    return agree ? 0 : 1;
  } finally {
    release();
  }
}

function printStep(e: TimelineEntry): void {
  const c = e.comparison;
  const fid = c ? fidelityLine(c.fidelity) : e.model?.modelOnly ? 'model-only, not compared' : 'model out of sync';
  console.log(
    e.step
      ? `\n[${e.n}] ${describeStep(e.step)}  (exit ${e.real?.exitCode}; fidelity ${fid})`
      : `[boot] fidelity ${fid}`,
  );
  if (e.real?.output?.trim()) console.log(e.real.output.trimEnd().replace(/^/gm, '    '));
  if (e.model?.outOfSync) console.log(`    model: out of sync: ${e.model.outOfSync}`);
  if (c) for (const line of differenceLines(c)) console.log(`  ${line}`);
}
