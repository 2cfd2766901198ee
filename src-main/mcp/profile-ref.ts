// A profile as an MCP client gives one (a name, a path, YAML text, or the profile itself) -> the profile, or the
// errors of the profile's own validation, each naming its field as a path into the tool's arguments.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { parseProfileYaml, validateProfile, type FieldError } from '../../src-shared/profile/validate';
import type { Profile } from '../../src-shared/profile/schema';
import { readProfileText } from '../store/profiles';
import { ProfileError } from '../store/profile-error';
import type { ProfileRef } from './schemas';

export type Resolved = { ok: true; name: string; profile: Profile } | { ok: false; errors: FieldError[] };

const isPath = (ref: string) => ref.includes('/') || /\.ya?ml$/.test(ref);

/** The errors of a profile given as an argument, their fields prefixed with that argument's name. */
const under = (arg: string, errors: FieldError[]): FieldError[] =>
  errors.map((e) => ({ ...e, field: e.field === '(root)' ? arg : `${arg}.${e.field}` }));

/** `{ yaml }` alone is YAML text; any other object is the profile itself (whose validation refuses a `yaml` key). */
const yamlOf = (ref: ProfileRef): string | undefined =>
  typeof ref === 'object' && Object.keys(ref).length === 1 && typeof ref.yaml === 'string' ? ref.yaml : undefined;

/**
 * The YAML text a reference stands for, as the lab would read it (a name: the user's saved copy first); a
 * profile given as an object is written out as YAML, whose line numbers then mean nothing to the client.
 */
export async function profileText(ref: ProfileRef): Promise<{ text: string; fromObject: boolean }> {
  if (typeof ref !== 'string') return { text: yamlOf(ref) ?? stringify(ref), fromObject: yamlOf(ref) === undefined };
  if (!isPath(ref)) return { text: (await readProfileText(ref)).text, fromObject: false };
  const path = resolve(ref);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ProfileError(`profile file ${path} not found (a relative path is read from ${process.cwd()})`, 'profile');
  });
  return { text, fromObject: false };
}

/** The profile, validated as everywhere in the lab; `arg` names the argument the errors are under. */
export async function resolveProfile(ref: ProfileRef, arg = 'profile'): Promise<Resolved> {
  if (typeof ref !== 'string' && yamlOf(ref) === undefined) {
    const r = validateProfile(ref);
    return r.ok ? { ok: true, name: r.value.name, profile: r.value } : { ok: false, errors: under(arg, r.errors) };
  }
  try {
    const r = parseProfileYaml((await profileText(ref)).text);
    return r.ok ? { ok: true, name: r.value.name, profile: r.value } : { ok: false, errors: under(arg, r.errors) };
  } catch (e) {
    if (e instanceof ProfileError) return { ok: false, errors: [{ field: arg, message: e.message }] };
    throw e;
  }
}
