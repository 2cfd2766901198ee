import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { DEFAULT_RAM_MAX, RAM_SIZES } from '../../src-shared/fuzz/profile-gen';
import { validateProfile } from '../../src-shared/profile/validate';
import { renderJUnit, type JUnitSuite } from '../../src-shared/report/junit';
import { junitSuite } from '../../src-shared/report/junit-run';
import { parseSize } from '../../src-shared/units';
import { prepare } from '../guest/lab';
import type { Vm } from '../guest/vm';
import { fuzz } from '../fuzz/campaign';
import { writeFileAtomic } from '../util/atomic';
import { formatFuzz, summarizeFuzz } from '../fuzz/summary';
import { prepareOptions } from './options';
import { stopOnSignals } from './signals';
import { UsageError, type CommandArgs } from './spec';

const count = (args: CommandArgs, name: string, fallback: number, min = 1): number => {
  const v = args.options.get(name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v)))
    throw new UsageError(`--${name} ${v}: a whole number, at least ${min}`);
  return Number(v);
};

/**
 * pmem-lab fuzz: generated profiles and steps on real guests and the model;
 * exit 0 when no divergence, 1 when any (or a guest failed), 2 on error.
 */
export async function fuzzCommand(args: CommandArgs): Promise<number> {
  const seed = count(args, 'seed', randomInt(2 ** 32), 0);
  if (seed >= 2 ** 32) throw new UsageError(`--seed ${seed}: at most ${2 ** 32 - 1}`);
  const ramArg = args.options.get('ram-max');
  const ramMax = ramArg === undefined ? DEFAULT_RAM_MAX : parseSize(ramArg);
  if (!ramMax || ramMax < RAM_SIZES[0]!) throw new UsageError(`--ram-max ${ramArg}: a size of at least 512M`);
  const opts = {
    seed,
    count: count(args, 'count', 10),
    maxSteps: count(args, 'steps', 6),
    ramSizes: RAM_SIZES.filter((s) => s <= ramMax),
    minimizeBudget: count(args, 'minimize-budget', 6, 0),
    perProfile: count(args, 'per-profile', 4),
    outDir: resolve(args.options.get('out') ?? 'fuzz-out'),
  };
  // every generated profile boots the host's kernel (or --kernel) under the same accelerator
  const base = validateProfile({ name: 'fuzz', memory: { size: '512M' } });
  if (!base.ok) throw new Error('the base profile is invalid');
  const prepared = await prepare(base.value, prepareOptions(args));
  process.stderr.write(`fuzz seed ${seed}, ${opts.count} scenarios (${prepared.accel.accel}), out ${opts.outDir}\n`);
  let vm: Vm | undefined;
  const release = stopOnSignals(async () => vm?.stop());
  const t0 = performance.now();
  const junitFile = args.options.get('junit');
  const suites: JUnitSuite[] = [];
  try {
    const r = await fuzz(opts, prepared, {
      onVm: (v) => (vm = v),
      progress: (line) => process.stderr.write(`${line}\n`),
      onRun: (name, steps, run) => {
        const props = [
          { name: 'seed', value: String(seed) },
          ...(run.kernel ? [{ name: 'kernel', value: run.kernel }] : []),
        ];
        suites.push(
          junitSuite({
            name,
            steps,
            entries: run.entries,
            ...(run.error !== undefined ? { error: run.error } : {}),
            properties: props,
          }),
        );
      },
    });
    if (junitFile) {
      await writeFileAtomic(resolve(junitFile), renderJUnit(`pmem-lab fuzz --seed ${seed}`, suites));
      process.stderr.write(`JUnit results written to ${resolve(junitFile)}\n`);
    }
    const summary = summarizeFuzz(seed, r, Math.round(performance.now() - t0));
    if (args.flags.has('json')) {
      const head = { kernel: r.kernel, qemu: prepared.qemu, accel: prepared.accel.accel, outDir: opts.outDir };
      console.log(
        JSON.stringify({ ...summary, ...head, scenarioRuns: r.scenarios, divergences: r.divergences }, null, 2),
      );
    } else console.log(formatFuzz(summary, r));
    return r.divergences.length || summary.errors ? 1 : 0;
  } finally {
    release();
  }
}
