// fuzz_steps_agree_ratio: a fuzz run with a seed chosen at run time, on real
// guests under TCG, counting the steps where model and guest agree in every
// dimension. BENCH_FUZZ_COUNT scenarios (default 5, so the bench stays
// reasonable; the figure is for 200: BENCH_FUZZ_COUNT=200).
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateProfile } from '../../src-shared/profile/validate';
import { prepare } from '../../src-main/guest/lab';
import { fuzz } from '../../src-main/fuzz/campaign';
import { summarizeFuzz, type FuzzSummary } from '../../src-main/fuzz/summary';

export async function benchFuzz(count: number): Promise<FuzzSummary> {
  const base = validateProfile({ name: 'fuzz', memory: { size: '512M' } });
  if (!base.ok) throw new Error('the base profile is invalid');
  const prepared = await prepare(base.value, { accel: 'tcg' });
  const outDir = await mkdtemp(join(tmpdir(), 'pmem-lab-bench-fuzz-'));
  const seed = randomInt(2 ** 32);
  const t0 = performance.now();
  try {
    // no minimizing: the figure is the agreement, and every trial would be another boot
    const r = await fuzz({ seed, count, maxSteps: 6, minimizeBudget: 0, outDir }, prepared, { onVm: () => {} });
    return summarizeFuzz(seed, r, Math.round(performance.now() - t0));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
