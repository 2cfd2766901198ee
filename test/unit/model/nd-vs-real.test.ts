// The nd and dax buses and the tools' exit codes of the model, from the
// profile alone, against what real guests showed (test/fixtures/real): regions
// (size, align, available_size, numa_node, target_node), namespaces (name, mode,
// size, holder), dax devices (name, size, target_node, driver), per step, and
// ndctl's exit statuses.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import type { Snapshot } from '../../../src-shared/snapshot/types';
import { applyStep, startModel } from '../../../src-shared/scenario/apply';
import { parseScenarioYaml } from '../../../src-shared/scenario/schema';
import { parseProfileYaml, validateProfile } from '../../../src-shared/profile/validate';

const ROOT = join(import.meta.dirname, '../../..');
const REAL = join(ROOT, 'test/fixtures/real');
const recorded = readdirSync(REAL).filter((d) => d !== 'bootstrap' && !d.includes('.'));

function load(name: string) {
  const s = parseScenarioYaml(readFileSync(join(ROOT, 'scenarios', `${name}.yaml`), 'utf8'));
  if (!s.ok) throw new Error(JSON.stringify(s.errors));
  const profile =
    typeof s.value.profile === 'string'
      ? parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', `${s.value.profile}.yaml`), 'utf8'))
      : validateProfile(s.value.profile);
  if (!profile.ok) throw new Error(JSON.stringify(profile.errors));
  return { scenario: s.value, profile: profile.value };
}

const buses = (s: Snapshot) => ({
  regions: s.nd.regions.map((r) => [r.name, r.size, r.align, r.available, r.numaNode, r.targetNode]),
  namespaces: s.nd.namespaces.map((n) => [n.name, n.mode, n.size, n.holder ?? '']),
  dax: s.dax.devices.map((d) => [d.name, d.size, d.targetNode, d.driver]),
});

describe('nd and dax buses against recorded real guests', () => {
  for (const name of recorded) {
    it(`${name}: buses and exit codes match at every step`, () => {
      const { scenario, profile } = load(name);
      const start = startModel(profile);
      if (!start.ok) throw new Error(start.outOfSync);
      const model = start.model;
      const steps = JSON.parse(readFileSync(join(REAL, name, 'steps.json'), 'utf8')).steps as { exitCode?: number }[];
      for (let i = 0; i <= scenario.steps.length; i++) {
        if (i > 0 && 'model' in scenario.steps[i - 1]!) break;
        const real = parseProbeDump(readFileSync(join(REAL, name, `${String(i).padStart(2, '0')}.dump`), 'utf8'));
        if (i > 0) {
          const r = applyStep(model, scenario.steps[i - 1]!);
          if (!r.ok) throw new Error(`step ${i}: ${r.outOfSync}`);
          // ndctl's exit statuses exactly (the other tools' are checked elsewhere)
          const step = scenario.steps[i - 1]!;
          if ('run' in step && step.run.startsWith('ndctl '))
            expect(r.result.exitCode, `step ${i} exit: ${r.result.output}`).toBe(steps[i]!.exitCode ?? 0);
        }
        expect(buses(model.snapshot()), `step ${i}`).toEqual(buses(real));
      }
    });
  }
});
