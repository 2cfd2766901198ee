// The model, from the profile alone, against what real guests printed: every
// recorded scenario (test/fixtures/real, made by test/fixtures/record.ts),
// every step, /proc/iomem and memory blocks line for line.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepLedger } from '../../../src-shared/ledger';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import { parseScenarioYaml } from '../../../src-shared/scenario/schema';
import { parseProfileYaml, validateProfile } from '../../../src-shared/profile/validate';

const ROOT = join(import.meta.dirname, '../../..');
const REAL = join(ROOT, 'test/fixtures/real');
const recorded = readdirSync(REAL).filter((d) => d !== 'bootstrap' && !d.includes('.'));

function load(name: string) {
  const s = parseScenarioYaml(readFileSync(join(ROOT, 'scenarios', `${name}.yaml`), 'utf8'));
  if (!s.ok) throw new Error(JSON.stringify(s.errors));
  const p =
    typeof s.value.profile === 'string'
      ? parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', `${s.value.profile}.yaml`), 'utf8'))
      : validateProfile(s.value.profile);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return { scenario: s.value, profile: p.value };
}

describe('model against recorded real guests', () => {
  it('has recordings for every shipped scenario', () => {
    const shipped = readdirSync(join(ROOT, 'scenarios'))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
    expect(recorded.sort()).toEqual(shipped);
  });

  for (const name of recorded) {
    it(`${name}: every step matches line for line`, () => {
      const { scenario, profile } = load(name);
      const ledger = new StepLedger(profile);
      const steps = JSON.parse(readFileSync(join(REAL, name, 'steps.json'), 'utf8')).steps as { exitCode?: number }[];
      for (let i = 0; i <= scenario.steps.length; i++) {
        // From a model-only step on, the model shows what the guest cannot.
        if (i > 0 && 'model' in scenario.steps[i - 1]!) break;
        const real = parseProbeDump(readFileSync(join(REAL, name, `${String(i).padStart(2, '0')}.dump`), 'utf8'));
        const e =
          i === 0
            ? ledger.boot({ snapshot: real })
            : ledger.step('scenario', scenario.steps[i - 1]!, { exitCode: steps[i]!.exitCode ?? 0, snapshot: real });
        expect(e.model?.outOfSync, `step ${i} is in the vocabulary`).toBeUndefined();
        // The tools' exit codes too: success and refusal as the guest reported them.
        if (i > 0)
          expect(e.model!.exitCode === 0, `step ${i} exit ${e.model!.exitCode}: ${e.model!.output}`).toBe(
            steps[i]!.exitCode === 0,
          );
        const c = e.comparison!;
        const diff = [
          ...c.iomem.filter((x) => x.side !== 'both').map((x) => `${x.side}: ${x.text}`),
          ...c.blocks
            .filter((x) => x.side !== 'both')
            .map((x) => `memory${x.id} real=${JSON.stringify(x.real)} model=${JSON.stringify(x.model)}`),
        ];
        expect(diff, `step ${i}`).toEqual([]);
        expect(c.fidelity.matched).toBe(c.fidelity.total);
        // valid_zones as the kernel prints them, too.
        expect(
          e.view!.snapshot.memoryBlocks.map((b) => `${b.id}:${b.zones}`),
          `step ${i} valid_zones`,
        ).toEqual(real.memoryBlocks.map((b) => `${b.id}:${b.zones}`));
      }
    });
  }
});
