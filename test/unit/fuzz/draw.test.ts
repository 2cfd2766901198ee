import { describe, expect, it } from 'vitest';
import { drawScenario } from '../../../src-shared/fuzz/draw';
import { mulberry32, scenarioSeed } from '../../../src-shared/fuzz/prng';
import { generateProfile } from '../../../src-shared/fuzz/profile-gen';
import { generateSteps } from '../../../src-shared/fuzz/step-gen';

const withoutName = (p: { name?: string }) => ({ ...p, name: undefined });

describe('fuzz scenarios in groups on one profile', () => {
  it('a group of one draws profile and steps from one stream, as the fuzzer always did', () => {
    for (const i of [0, 1, 7]) {
      const rng = mulberry32(scenarioSeed(42, i));
      const { input, profile } = generateProfile(rng, `fuzz-42-${i}`);
      const steps = generateSteps(rng, profile, rng.int(1, 6));
      expect(drawScenario(42, i, { maxSteps: 6 })).toMatchObject({ name: `fuzz-42-${i}`, input, steps });
    }
  });

  it('groups of four share their first scenario’s profile, with steps of their own', () => {
    const drawn = [...Array(8).keys()].map((i) => drawScenario(9, i, { maxSteps: 6, perProfile: 4 }));
    for (const i of [1, 2, 3]) expect(withoutName(drawn[i]!.input)).toEqual(withoutName(drawn[0]!.input));
    for (const i of [5, 6, 7]) expect(withoutName(drawn[i]!.input)).toEqual(withoutName(drawn[4]!.input));
    expect(withoutName(drawn[4]!.input)).not.toEqual(withoutName(drawn[0]!.input));
    // the group's first is the scenario a group of one draws; the others' steps are their own
    expect(drawn[4]).toEqual(drawScenario(9, 4, { maxSteps: 6 }));
    expect(new Set(drawn.slice(0, 4).map((d) => JSON.stringify(d.steps))).size).toBe(4);
  });
});
