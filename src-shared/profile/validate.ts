// Turns untrusted profile data into a Profile or a list of errors that name the field.
import { parse as parseYaml } from 'yaml';
import { ProfileSchema, type Profile } from './schema';

export interface FieldError {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(profile)';
}

export function validateProfile(data: unknown): Validated<Profile> {
  const r = ProfileSchema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })) };
}

export function parseProfileYaml(text: string): Validated<Profile> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return { ok: false, errors: [{ field: '(yaml)', message: `not valid YAML: ${(e as Error).message}` }] };
  }
  return validateProfile(data);
}

export function formatErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('\n');
}
