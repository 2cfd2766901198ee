// Profiles by name (qemu-profiles/NAME.yaml), by path, or inline.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatErrors, parseProfileYaml, validateProfile } from '../../src-shared/profile/validate';
import type { Profile } from '../../src-shared/profile/schema';

export const PROFILES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../qemu-profiles');

export class ProfileError extends Error {}

export async function loadProfile(ref: string | Record<string, unknown>, baseDir = process.cwd()): Promise<Profile> {
  if (typeof ref !== 'string') {
    const r = validateProfile(ref);
    if (!r.ok) throw new ProfileError(`inline profile is invalid:\n${formatErrors(r.errors)}`);
    return r.value;
  }
  const isPath = ref.includes('/') || ref.endsWith('.yaml') || ref.endsWith('.yml');
  const path = isPath ? resolve(baseDir, ref) : join(PROFILES_DIR, `${ref}.yaml`);
  const text = await readFile(path, 'utf8').catch(async () => {
    const known = (await listProfiles()).join(', ');
    throw new ProfileError(`profile "${ref}" not found (${path}); known profiles: ${known}`);
  });
  const r = parseProfileYaml(text);
  if (!r.ok) throw new ProfileError(`${path} is invalid:\n${formatErrors(r.errors)}`);
  return r.value;
}

export async function listProfiles(): Promise<string[]> {
  return (await readdir(PROFILES_DIR)).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}
