// Scenario i of a seed: its profile and its steps. Scenarios come in groups of `perProfile` on one profile, so
// that with checkpoints a group boots once and restores after (issue 14). The first of a group draws profile
// and steps from one stream, exactly as a group of one does; the others draw the group's profile again from
// the first's stream and their steps from their own.
import type { Step } from '../scenario/schema';
import { mulberry32, scenarioSeed } from './prng';
import { generateProfile, type GeneratedProfile } from './profile-gen';
import { generateSteps } from './step-gen';

export interface DrawOptions {
  maxSteps: number;
  perProfile?: number;
  ramSizes?: readonly number[];
}

export interface DrawnScenario extends GeneratedProfile {
  name: string;
  steps: Step[];
}

export function drawScenario(seed: number, i: number, opts: DrawOptions): DrawnScenario {
  const name = `fuzz-${seed}-${i}`;
  const rng = mulberry32(scenarioSeed(seed, i));
  const first = i - (i % (opts.perProfile ?? 1));
  const profileRng = first === i ? rng : mulberry32(scenarioSeed(seed, first));
  const drawn = generateProfile(profileRng, name, opts.ramSizes ? { ramSizes: opts.ramSizes } : {});
  return { ...drawn, name, steps: generateSteps(rng, drawn.profile, rng.int(1, opts.maxSteps)) };
}
