// The real-guest recordings (test/fixtures/real, made by test/fixtures/record.ts)
// and the shipped scenario each was recorded from, its profile resolved.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfileYaml, validateProfile } from '../../../src-shared/profile/validate';
import { parseScenarioYaml } from '../../../src-shared/scenario/schema';

export const ROOT = join(import.meta.dirname, '../../..');
export const REAL = join(ROOT, 'test/fixtures/real');
export const recorded = readdirSync(REAL).filter((d) => d !== 'bootstrap' && !d.includes('.'));

export function loadRecorded(name: string) {
  const s = parseScenarioYaml(readFileSync(join(ROOT, 'scenarios', `${name}.yaml`), 'utf8'));
  if (!s.ok) throw new Error(JSON.stringify(s.errors));
  const { profile } = s.value;
  const p =
    typeof profile === 'string'
      ? parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', `${profile}.yaml`), 'utf8'))
      : validateProfile(profile);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return { scenario: s.value, profile: p.value };
}
