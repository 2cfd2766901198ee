// The model, from the profile alone, against what real guests printed: every
// recorded scenario (test/fixtures/real, made by test/fixtures/record.ts),
// every step, in every dimension of the comparison (design.md "Fidelity by
// dimension"): the recorded dumps and the tools' outputs and exit codes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepLedger } from '../../../src-shared/ledger';
import { diffLines } from '../../../src-shared/report/text';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import { loadRecorded as load, REAL, recorded, ROOT } from './recorded';

describe('model against recorded real guests', () => {
  it('has recordings for every shipped scenario', () => {
    const shipped = readdirSync(join(ROOT, 'scenarios'))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
    expect(recorded.sort()).toEqual(shipped);
  });

  for (const name of recorded) {
    it(`${name}: every step agrees in every dimension`, () => {
      const { scenario, profile } = load(name);
      const ledger = new StepLedger(profile);
      const steps = JSON.parse(readFileSync(join(REAL, name, 'steps.json'), 'utf8')).steps as {
        output?: string;
        exitCode?: number;
      }[];
      for (let i = 0; i <= scenario.steps.length; i++) {
        // From a model-only step on, the model shows what the guest cannot.
        if (i > 0 && 'model' in scenario.steps[i - 1]!) break;
        const real = parseProbeDump(readFileSync(join(REAL, name, `${String(i).padStart(2, '0')}.dump`), 'utf8'));
        const { output = '', exitCode = 0 } = steps[i] ?? {};
        const e =
          i === 0
            ? ledger.boot({ snapshot: real })
            : ledger.step('scenario', scenario.steps[i - 1]!, { output, exitCode, snapshot: real });
        expect(e.model?.outOfSync, `step ${i} is in the vocabulary`).toBeUndefined();
        // what differs in every dimension (not what is only shown: output the model does not predict, messages
        // no modelled rule prints)
        const differ = diffLines(e.comparison!).filter((l) => l.counted);
        expect(
          differ.map((l) => `[${l.dimension}] ${l.side}: ${l.text}`),
          `step ${i}`,
        ).toEqual([]);
        const { matched, total } = e.comparison!.fidelity;
        expect(matched, `step ${i}`).toBe(total);
      }
    });
  }
});
