// What the tools print, the model against real guests: every step of every
// recorded scenario (test/fixtures/real) whose output the model predicts,
// compared text for text after masking the uuids a run makes up anew.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../../src-shared/model';
import { parseProfileYaml } from '../../../../src-shared/profile/validate';
import { applyStep } from '../../../../src-shared/scenario/apply';
import { loadRecorded as load, REAL, recorded, ROOT } from '../recorded';

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const mask = (s: string) => s.replace(UUID, '<uuid>');
/** the steps whose output the model predicts as the tool prints it (single commands, no pipelines) */
const TOOL_JSON = /^(ndctl (create-namespace|list)|daxctl (reconfigure-device|list)|cat )[^|]*$/;

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

/**
 * Runs of read-only commands between actions on several topologies
 * (test/fixtures/real-tools, the command inside each file). Where the model's
 * kernel state parts from the guest's, the outputs part too: those runs are
 * expected to fail until the kernel rule named beside them is fixed.
 */
const KNOWN_KERNEL_DIVERGENCE: Record<string, string> = {
  'nvdimm-1g-labelless': 'offlining blocks onlined to the kernel zone fails with EBUSY on the guest',
};

describe('read-only commands on every profile print what the guest printed', () => {
  const TOOLS = join(ROOT, 'test/fixtures/real-tools');
  for (const file of readdirSync(TOOLS)) {
    const run = JSON.parse(readFileSync(join(TOOLS, file), 'utf8')) as {
      /** a name in qemu-profiles/ or the profile itself */
      profile: string | { name: string };
      steps: { step: string; output: string; exitCode: number }[];
    };
    const name = typeof run.profile === 'string' ? run.profile : run.profile.name;
    const known = KNOWN_KERNEL_DIVERGENCE[name];
    (known ? it.fails : it)(`${name}${known ? ` (fails until: ${known})` : ''}`, () => {
      const text =
        typeof run.profile === 'string'
          ? readFileSync(join(ROOT, 'qemu-profiles', `${run.profile}.yaml`), 'utf8')
          : JSON.stringify(run.profile);
      const p = parseProfileYaml(text);
      if (!p.ok) throw new Error(JSON.stringify(p.errors));
      const model = createModel(p.value);
      const differ: string[] = [];
      for (const s of run.steps) {
        const r = applyStep(model, { run: s.step });
        if (!r.ok) throw new Error(`${s.step}: ${r.outOfSync}`);
        if (r.result.output === undefined) {
          // the cxl recordings hold only forms the model follows: each must be predicted
          if (s.step.startsWith('cxl ')) differ.push(`${s.step} (not predicted)`);
          continue;
        }
        if (mask(r.result.output) !== mask(s.output) || r.result.exitCode !== s.exitCode) differ.push(s.step);
      }
      expect(differ).toEqual([]);
    });
  }
});
