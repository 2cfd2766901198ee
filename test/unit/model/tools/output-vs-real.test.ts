// What the tools print, the model against real guests: every step of every
// recorded scenario (test/fixtures/real) whose output the model predicts,
// compared text for text after masking the uuids a run makes up anew.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../../src-shared/model';
import { parseProfileYaml } from '../../../../src-shared/profile/validate';
import { parseScenarioYaml } from '../../../../src-shared/scenario/schema';
import { applyStep } from '../../../../src-shared/scenario/apply';

const ROOT = join(import.meta.dirname, '../../../..');
const REAL = join(ROOT, 'test/fixtures/real');
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const mask = (s: string) => s.replace(UUID, '<uuid>');
/** the steps whose output the model predicts as the tool prints it */
const TOOL_JSON = /^(ndctl (create-namespace|list)|daxctl (reconfigure-device|list)|cat )/;

function load(name: string) {
  const s = parseScenarioYaml(readFileSync(join(ROOT, 'scenarios', `${name}.yaml`), 'utf8'));
  if (!s.ok || typeof s.value.profile !== 'string') throw new Error(name);
  const p = parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', `${s.value.profile}.yaml`), 'utf8'));
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return { scenario: s.value, profile: p.value };
}

const recorded = readdirSync(REAL).filter((d) => d !== 'bootstrap' && !d.includes('.'));

describe('the tools print what the real tools print', () => {
  for (const name of recorded) {
    it(name, () => {
      const { scenario, profile } = load(name);
      const model = createModel(profile);
      const steps = JSON.parse(readFileSync(join(REAL, name, 'steps.json'), 'utf8')).steps as {
        output?: string;
        exitCode?: number;
      }[];
      let compared = 0;
      let expected = 0;
      for (const [i, step] of scenario.steps.entries()) {
        if ('model' in step) break;
        const r = applyStep(model, step);
        if (!r.ok) throw new Error(`step ${i + 1}: ${r.outOfSync}`);
        const real = steps[i + 1]!;
        const predicted = r.result.output;
        if (!('run' in step) || !TOOL_JSON.test(step.run) || real.exitCode !== 0) continue;
        expected++;
        if (predicted === undefined) continue;
        expect(mask(predicted), `step ${i + 1}: ${step.run}`).toBe(mask(real.output ?? ''));
        compared++;
      }
      // every such step is predicted, none skipped
      expect(compared).toBe(expected);
    });
  }
});
