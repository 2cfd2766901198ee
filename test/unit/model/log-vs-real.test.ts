// The kernel messages the model claims (printk.ts MODELLED_MESSAGES) against
// what real guests printed: every recorded scenario (test/fixtures/real, made
// by test/fixtures/record.ts), the boot and every step, the real messages that
// match a claimed pattern against the model's, as multisets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isModelledMessage, MODELLED_MESSAGES } from '../../../src-shared/model/kernel/printk';
import { applyStep, startModel } from '../../../src-shared/scenario/apply';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import { loadRecorded as load, REAL, recorded } from './recorded';

const sorted = (log: readonly string[]) => [...log].sort();

describe('kernel messages: the model against recorded real guests', () => {
  it('claims each message with the kernel function that prints it', () => {
    for (const m of MODELLED_MESSAGES) expect(m.source).toMatch(/^[\w/.-]+\.c:\w+$/);
    expect(isModelledMessage('kmem: probe of dax0.0 failed with error -22')).toBe(true);
    expect(isModelledMessage('Built 1 zonelists, mobility grouping on.  Total pages: 502836')).toBe(false);
  });

  for (const name of recorded) {
    it(`${name}: the claimed messages of the boot and of every step`, () => {
      const { scenario, profile } = load(name);
      const start = startModel(profile);
      if (!start.ok) throw new Error(start.outOfSync);
      const model = start.model;
      for (let i = 0; i <= scenario.steps.length; i++) {
        if (i > 0 && 'model' in scenario.steps[i - 1]!) break;
        const real = parseProbeDump(readFileSync(join(REAL, name, `${String(i).padStart(2, '0')}.dump`), 'utf8'));
        // Booting always prints: a boot dump without messages was recorded before the probe read them.
        if (i === 0) expect(real.log?.length, 'the boot dump carries the boot messages').toBeGreaterThan(0);
        let predicted: string[];
        if (i === 0) predicted = model.state.kernel.log;
        else {
          const m = applyStep(model, scenario.steps[i - 1]!);
          if (!m.ok) throw new Error(`step ${i}: ${m.outOfSync}`);
          predicted = m.result.log;
        }
        for (const line of predicted) expect(isModelledMessage(line), `model prints an unclaimed "${line}"`).toBe(true);
        expect(sorted(predicted), `step ${i}`).toEqual(sorted(real.log!.filter(isModelledMessage)));
      }
    });
  }
});
