// Profiles by name (qemu-profiles/NAME.yaml shipped with the app, or the
// user's own in ~/.config/pmem-lab/profiles/NAME.yaml), by path, or inline.
import { appRoot } from '../util/app-root';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatErrors, parseProfileYaml, validateProfile } from '../../src-shared/profile/validate';
import type { Profile } from '../../src-shared/profile/schema';
import { configDir } from '../util/paths';
import { writeFileAtomic } from '../util/atomic';
import { ProfileError } from './profile-error';

export const PROFILES_DIR = join(appRoot(), 'qemu-profiles');
export const userProfilesDir = (): string => join(configDir(), 'profiles');

export { ProfileError };

/** Where a named profile lives: the user's folder first, so a saved copy is what boots. */
async function profilePath(name: string): Promise<string | undefined> {
  for (const dir of [userProfilesDir(), PROFILES_DIR]) {
    const path = join(dir, `${name}.yaml`);
    if (
      await readFile(path).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return undefined;
}

export async function readProfileText(name: string): Promise<{ path: string; text: string }> {
  const path = await profilePath(name);
  if (!path)
    throw new ProfileError(
      `profile "${name}" not found; known profiles: ${(await listProfiles()).join(', ')}`,
      'profile',
    );
  return { path, text: await readFile(path, 'utf8') };
}

export async function loadProfile(ref: string | Record<string, unknown>, baseDir = process.cwd()): Promise<Profile> {
  if (typeof ref !== 'string') {
    const r = validateProfile(ref);
    if (!r.ok) throw new ProfileError(`inline profile is invalid:\n${formatErrors(r.errors)}`);
    return r.value;
  }
  const isPath = ref.includes('/') || ref.endsWith('.yaml') || ref.endsWith('.yml');
  const { path, text } = isPath
    ? {
        path: resolve(baseDir, ref),
        text: await readFile(resolve(baseDir, ref), 'utf8').catch(() => {
          throw new ProfileError(`profile file ${resolve(baseDir, ref)} not found`);
        }),
      }
    : await readProfileText(ref);
  const r = parseProfileYaml(text);
  if (!r.ok) throw new ProfileError(`${path} is invalid:\n${formatErrors(r.errors)}`, r.errors[0]?.field);
  return r.value;
}

async function yamlNames(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
}

export async function listProfiles(): Promise<string[]> {
  return [...new Set([...(await yamlNames(PROFILES_DIR)), ...(await yamlNames(userProfilesDir()))])].sort();
}

/**
 * Saves a profile into the user's folder, atomically. The YAML must be valid
 * and its `name` must match the file name, so what is saved is what boots.
 */
export async function saveProfile(name: string, yaml: string): Promise<Profile> {
  const r = parseProfileYaml(yaml);
  if (!r.ok) throw new ProfileError(`not saved: ${formatErrors(r.errors)}`, r.errors[0]?.field);
  if (r.value.name !== name)
    throw new ProfileError(
      `not saved: the profile's name is "${r.value.name}" but it is being saved as "${name}"; make them the same`,
      'name',
    );
  await writeFileAtomic(join(userProfilesDir(), `${name}.yaml`), yaml);
  return r.value;
}
