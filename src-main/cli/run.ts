import { resolve } from 'node:path';
import { runJson, summarize } from '../../src-shared/ledger';
import { renderReport } from '../../src-shared/report/html';
import { renderJUnit } from '../../src-shared/report/junit';
import { junitSuite, junitTimestamp, runProperties } from '../../src-shared/report/junit-run';
import { describeStep } from '../../src-shared/scenario/schema';
import { differenceLines, fidelityLine } from '../../src-shared/report/text';
import type { TimelineEntry } from '../../src-shared/api/contract';
import { loadScenario } from '../store/scenarios';
import { prepare } from '../guest/lab';
import { runScenario } from '../guest/scenario-run';
import type { Vm } from '../guest/vm';
import { writeFileAtomic } from '../util/atomic';
import { prepareOptions } from './options';
import { stopOnSignals } from './signals';
import { bootLine } from './format';
import { UsageError, type CommandArgs } from './spec';

/**
 * pmem-lab run SCENARIO: every step on the real guest and, in lockstep, on the
 * model (the ledger makes each step's timeline entry as soon as the guest has
 * answered); exit 0 when they agree at every step, 1 when not, 2 when the
 * guest failed (after writing the JUnit file and the report up to there).
 */
export async function runCommand(args: CommandArgs): Promise<number> {
  const json = args.flags.has('json');
  const jsonl = args.flags.has('jsonl');
  if (json && jsonl) throw new UsageError('--json and --jsonl: pick one', 'run');
  const reportFile = args.options.get('report');
  const junitFile = args.options.get('junit');
  const { scenario, profile } = await loadScenario(args.positional!); // required in commands.ts
  const prepared = await prepare(profile, prepareOptions(args));
  process.stderr.write(
    `running ${scenario.name} on ${profile.name} (${prepared.accel.accel}: ${prepared.accel.reason})\n`,
  );
  let vm: Vm | undefined;
  const release = stopOnSignals(async () => vm?.stop());
  const started = Date.now();
  try {
    const run = await runScenario(scenario, profile, prepared, {
      onVm: (v) => (vm = v),
      onEntry: (e) => (jsonl ? console.log(JSON.stringify(e)) : json ? undefined : printStep(e)),
    });
    const { real, entries, failure } = run;
    const { fidelity, agree } = summarize(entries);
    const head = {
      scenario: scenario.name,
      kernel: real?.kernel ?? entries[0]?.real?.snapshot?.kernel,
      qemu: prepared.qemu,
      accel: prepared.accel.accel,
      ...(real?.boot ? { boot: real.boot } : {}),
    };
    const notModelled = entries[0]?.view?.notModelled;
    if (notModelled && !json && !jsonl) process.stderr.write(`not modelled: ${notModelled.join(' ')}\n`);
    if (reportFile) {
      const html = renderReport({
        title: `pmem-lab run ${scenario.name}`,
        profile: profile.name,
        ...head,
        generatedAt: new Date().toISOString(),
        steps: entries,
        ...(failure ? { error: failure.message } : {}),
      });
      await writeFileAtomic(resolve(reportFile), html);
      process.stderr.write(`report written to ${resolve(reportFile)}\n`);
    }
    if (junitFile) {
      const suite = junitSuite({
        name: scenario.name,
        steps: scenario.steps,
        entries,
        ...(failure ? { error: failure.message } : {}),
        ...(real ? { bootMs: real.timings.ready_ms } : {}),
        properties: runProperties(profile.name, head),
        timestamp: junitTimestamp(started),
      });
      await writeFileAtomic(resolve(junitFile), renderJUnit(`pmem-lab run ${scenario.name}`, [suite]));
      process.stderr.write(`JUnit results written to ${resolve(junitFile)}\n`);
    }
    if (failure) throw failure;
    if (json)
      console.log(JSON.stringify(runJson(head, entries, { timings: real!.timings, explain: !!reportFile }), null, 2));
    else if (jsonl) console.log(JSON.stringify({ summary: { ...head, timings: real!.timings, fidelity, agree } }));
    else
      console.log(
        `\n${scenario.name}: ${agree ? 'model and guest agree' : 'model and guest DIFFER'} ` +
          `(${fidelityLine(fidelity)}), ready in ${real!.timings.ready_ms} ms (${bootLine(real!.boot)})`,
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
