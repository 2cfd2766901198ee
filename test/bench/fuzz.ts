// fuzz_steps_agree_ratio: a fuzz run with a seed chosen at run time, on real
// guests under TCG, counting the steps where model and guest agree in every
// dimension. BENCH_FUZZ_COUNT scenarios (default 8, so the bench stays
// reasonable; the figure is for 200: BENCH_FUZZ_COUNT=200), four to a
// profile as `pmem-lab fuzz` draws them. The same seed runs twice, booting cold
// and from checkpoints (a fresh store), for fuzz_cases_per_minute.
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProfile } from '../../src-shared/profile/validate';
import { prepare } from '../../src-main/guest/lab';
import { fuzz } from '../../src-main/fuzz/campaign';
import { summarizeFuzz, type FuzzSummary } from '../../src-main/fuzz/summary';

export interface FuzzFigures {
  warm: FuzzSummary;
  cold: FuzzSummary;
}

export async function benchFuzz(count: number): Promise<FuzzFigures> {
  const base = validateProfile({ name: 'fuzz', memory: { size: '512M' } });
  if (!base.ok) throw new Error('the base profile is invalid');
  const outDir = await mkdtemp(join(tmpdir(), 'pmem-lab-bench-fuzz-'));
  const store = await mkdtemp(join(tmpdir(), 'pmem-lab-bench-checkpoints-'));
  const before = process.env.PMEM_LAB_CHECKPOINTS;
  process.env.PMEM_LAB_CHECKPOINTS = store;
  const seed = randomInt(2 ** 32);
  const once = async (checkpoint: 'use' | 'cold') => {
    const prepared = await prepare(base.value, { accel: 'tcg', checkpoint });
    const t0 = performance.now();
    // no minimizing: the figure is the agreement, and every trial would be another boot
    const opts = { seed, count, maxSteps: 6, minimizeBudget: 0, outDir, perProfile: 4 };
    const r = await fuzz(opts, prepared, { onVm: () => {} });
    return summarizeFuzz(seed, r, Math.round(performance.now() - t0));
  };
  try {
    const cold = await once('cold');
    return { cold, warm: await once('use') };
  } finally {
    if (before === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
    else process.env.PMEM_LAB_CHECKPOINTS = before;
    await rm(outDir, { recursive: true, force: true });
    await rm(store, { recursive: true, force: true });
  }
}
