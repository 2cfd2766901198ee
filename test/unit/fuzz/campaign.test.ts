// The fuzz campaign with the guest replaced by a fake (the integration test
// runs real ones): a divergence gets a scenario file `pmem-lab run` loads, the
// first of each signature is minimized, later ones point to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import { judge } from '../../../src-shared/fuzz/divergence';
import { noFidelity } from '../../../src-shared/compare';
import type { Candidate } from '../../../src-shared/fuzz/minimize';
import type { Prepared } from '../../../src-main/guest/lab';
import { loadScenario } from '../../../src-main/store/scenarios';

/** The fake guest: every write to a memory block's state differs from the model in blocks. */
function entries(c: Candidate): TimelineEntry[] {
  const none = { iomem: [], blocks: [], exit: [], output: [], buses: [], nodes: [], log: [] };
  const full = { fidelity: noFidelity(), ...none };
  const differs = { fidelity: noFidelity(), ...none };
  differs.fidelity.byDimension.blocks = { matched: 0, total: 1 };
  return [
    { n: 0, at: 0, source: 'boot', step: null, comparison: full },
    ...c.steps.map((step, i): TimelineEntry => {
      const block = 'run' in step && /memory\d+\/state$/.test(step.run);
      return { n: i + 1, at: 0, source: 'scenario', step, comparison: block ? differs : full };
    }),
  ];
}
const trials: Candidate[] = [];
vi.mock('../../../src-main/fuzz/guest-trial', () => ({
  runCandidate: (c: Candidate) => Promise.resolve({ entries: entries(c), kernel: '6.1.0' }),
  guestTrial: () => (c: Candidate) => (trials.push(c), Promise.resolve(judge(entries(c)).divergences)),
}));
const { fuzz } = await import('../../../src-main/fuzz/campaign');

const out = mkdtempSync(join(tmpdir(), 'pmem-lab-fuzz-unit-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('fuzz campaign', () => {
  it('writes a loadable scenario for every divergence, minimizing each signature once', async () => {
    const opts = { seed: 3, count: 12, maxSteps: 6, minimizeBudget: 4, outDir: out };
    const r = await fuzz(opts, {} as Prepared, { onVm: () => {} });
    expect(r.kernel).toBe('6.1.0');
    const blocks = r.divergences.filter((d) => d.classes[0] === 'blocks');
    expect(blocks.length).toBeGreaterThan(1);
    expect(trials.length).toBeGreaterThan(0);
    const minimized = blocks.filter((d) => d.minimized);
    // one minimized per signature; every other one of that signature points to it
    expect(new Set(minimized.map((d) => `${d.classes[0]}@${d.kind}`)).size).toBe(minimized.length);
    for (const d of blocks.filter((x) => !x.minimized && x.sameAs))
      expect(minimized.map((m) => m.file)).toContain(d.sameAs);
    for (const d of r.divergences) {
      const { scenario, profile } = await loadScenario(d.file);
      expect(scenario.steps.length).toBeLessThanOrEqual(d.n);
      expect(profile.name).toBe(scenario.name);
      if (d.minimized) {
        // the minimized scenario still diverges, at its last step
        const again = judge(entries({ profile: {} as Candidate['profile'], steps: scenario.steps })).divergences[0];
        expect(again?.n).toBe(scenario.steps.length);
        expect(d.minimized.steps).toBe(scenario.steps.length);
      }
    }
    // the same seed, the same run
    const again = await fuzz({ ...opts, outDir: join(out, 'again') }, {} as Prepared, { onVm: () => {} });
    expect(again.divergences.map((d) => [d.scenario, d.n, d.step])).toEqual(
      r.divergences.map((d) => [d.scenario, d.n, d.step]),
    );
  });
});
