// Untrusted data (YAML files, API requests) -> typed values, or errors that name the field.
import type { z } from 'zod';
import { parse as parseYaml } from 'yaml';

export interface FieldError {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '') || '(root)';
}

export function validateWith<S extends z.ZodType>(schema: S, data: unknown): Validated<z.output<S>> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })) };
}

export function parseYamlWith<S extends z.ZodType>(schema: S, text: string): Validated<z.output<S>> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return { ok: false, errors: [{ field: '(yaml)', message: `not valid YAML: ${(e as Error).message}` }] };
  }
  return validateWith(schema, data);
}

export function formatErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('\n');
}
