// Every shipped scenario through `pmem-lab run` on a real guest: the model,
// predicting from the profile alone, must agree at every step in every
// dimension (design.md "Fidelity by dimension"; exit 0). Kernels the lab
// builds (kernel.preset) are built first, once: later runs find them cached.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src-main/store/scenarios';

const scenarios = readdirSync(join(import.meta.dirname, '../../scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -5))
  .sort();

interface Fidelity {
  matched: number;
  total: number;
  byDimension: Record<string, { matched: number; total: number }>;
}
interface JsonStep {
  step: unknown;
  modelOnly?: boolean;
  outOfSync?: string;
  fidelity?: Fidelity;
  diff?: Record<string, { counted?: false }[]>;
}

/** A step's dimensions that differ, each with its fidelity and the rows that count. */
const differences = (s: JsonStep) =>
  Object.fromEntries(
    Object.entries(s.fidelity!.byDimension)
      .filter(([, f]) => f.matched !== f.total)
      .map(([d, f]) => [d, { ...f, rows: s.diff![d]!.filter((r) => r.counted !== false) }]),
  );

/** The presets the scenarios' profiles boot, as `pmem-lab run` resolves them. */
async function presets(): Promise<string[]> {
  const named = new Set<string>();
  for (const name of scenarios) {
    const { kernel } = (await loadScenario(name)).profile;
    if (typeof kernel === 'object' && 'preset' in kernel) named.add(kernel.preset);
  }
  return [...named].sort();
}

describe('pmem-lab run on every shipped scenario', () => {
  beforeAll(async () => {
    for (const preset of await presets())
      await execa('node', ['bin/pmem-lab.js', 'kernel', 'build', preset], { stdio: 'inherit' });
  }, 45 * 60_000);

  for (const name of scenarios) {
    it(name, async () => {
      const r = await execa('node', ['bin/pmem-lab.js', 'run', name, '--json', '--accel', 'tcg'], { reject: false });
      expect([0, 1], r.stderr).toContain(r.exitCode);
      const out = JSON.parse(r.stdout) as { steps: JsonStep[]; fidelity: Fidelity };
      // After a model-only step the model shows what the guest cannot: such steps are not compared.
      const firstModelOnly = out.steps.findIndex((s) => s.modelOnly);
      const compared = firstModelOnly < 0 ? out.steps : out.steps.slice(0, firstModelOnly);
      const differing = compared.filter((s) => !s.fidelity || s.fidelity.matched !== s.fidelity.total);
      expect(
        differing.map((s) => ({
          step: s.step,
          ...(s.fidelity ? { differences: differences(s) } : {}),
          outOfSync: s.outOfSync,
        })),
      ).toEqual([]);
      for (const [d, f] of Object.entries(out.fidelity.byDimension)) expect(f.matched, d).toBe(f.total);
      expect(out.fidelity.matched).toBe(out.fidelity.total);
      expect(r.exitCode).toBe(0);
    });
  }
});
