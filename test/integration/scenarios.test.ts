// Every shipped scenario through `pmem-lab run` on a real guest: the model,
// predicting from the profile alone, must agree at every step (exit 0).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const scenarios = readdirSync(join(import.meta.dirname, '../../scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -5))
  .sort();

describe('pmem-lab run on every shipped scenario', () => {
  for (const name of scenarios) {
    it(name, async () => {
      const r = await execa('node', ['bin/pmem-lab.js', 'run', name, '--json', '--accel', 'tcg'], { reject: false });
      expect([0, 1], r.stderr).toContain(r.exitCode);
      const out = JSON.parse(r.stdout);
      // After a model-only step the model shows what the guest cannot: such steps are not compared.
      const firstModelOnly = out.steps.findIndex((s: { modelOnly?: boolean }) => s.modelOnly);
      const compared = firstModelOnly < 0 ? out.steps : out.steps.slice(0, firstModelOnly);
      const differing = compared.filter(
        (s: { fidelity?: { matched: number; total: number } }) =>
          !s.fidelity || s.fidelity.matched !== s.fidelity.total,
      );
      expect(
        differing.map((s: { step: unknown; diff: unknown; outOfSync?: string }) => ({
          step: s.step,
          diff: s.diff,
          outOfSync: s.outOfSync,
        })),
      ).toEqual([]);
      expect(out.fidelity.matched).toBe(out.fidelity.total);
      expect(r.exitCode).toBe(0);
    });
  }
});
