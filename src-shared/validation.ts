// Untrusted data (YAML files, API requests) -> typed values, or errors that
// name the field, say what is allowed there and, for YAML, where it is.
import type { z } from 'zod';
import { LineCounter, parseDocument, type Document } from 'yaml';

export interface FieldError {
  field: string;
  message: string;
  /** where the field is in the YAML text (1-based), when the data came from YAML */
  line?: number;
  column?: number;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function fieldPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
      '',
    ) || '(root)'
  );
}

export function validateWith<S extends z.ZodType>(schema: S, data: unknown): Validated<z.output<S>> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({ field: fieldPath(i.path), message: explain(schema, data, i) })),
  };
}

/** Like validateWith, with each error's line and column in the text. */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string): Validated<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    // yaml's message repeats the position and quotes the source after it: keep the reason, lead with the position
    const reason = syntax.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
    return {
      ok: false,
      errors: [
        { field: '(yaml)', message: `not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${reason}` },
      ],
    };
  }
  const data: unknown = doc.toJS();
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => ({
      field: fieldPath(i.path),
      message: explain(schema, data, i),
      ...position(doc, lineCounter, i.path),
    })),
  };
}

export function formatErrors(errors: FieldError[]): string {
  return errors
    .map((e) => `${e.field}${e.line ? ` (line ${e.line}, column ${e.column})` : ''}: ${e.message}`)
    .join('\n');
}

// --- messages that say what is allowed --------------------------------------

type Issue = z.core.$ZodIssue;

/** The parts of zod's schema definitions needed to find the object or union at an issue's path. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const isOptional = (s: z.ZodType) => (s as unknown as { _zod: { optin?: string } })._zod.optin === 'optional';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const quoted = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(', ');

/**
 * The schema at a path, through arrays, wrappers (optional,
 * default, pipe) and, for a key, the union option that has it.
 */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  const d = defOf(schema);
  const inner = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
  if (inner) return schemaAt(inner, path);
  if (!path.length) return schema;
  const [head, ...rest] = path;
  if (d.type === 'array' && typeof head === 'number' && d.element) return schemaAt(d.element, rest);
  if (d.type === 'object' && typeof head === 'string' && d.shape?.[head]) return schemaAt(d.shape[head], rest);
  if (d.type === 'union') for (const o of d.options ?? []) if (objectShape(o)?.[String(head)]) return schemaAt(o, path);
  return undefined;
}

/** The keys of a strict object (after wrappers), or undefined for anything else. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const s = schemaAt(schema, []);
  const d = s && defOf(s);
  return d?.type === 'object' && d.catchall && defOf(d.catchall).type === 'never' ? d.shape : undefined;
}

const valueAt = (data: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], data);

/**
 * zod's own message, unless the issue is about keys of a strict
 * object, or a union of them, where the allowed keys help.
 */
function explain(schema: z.ZodType, data: unknown, issue: Issue): string {
  const at = schemaAt(schema, issue.path);
  if (!at) return issue.message;
  if (issue.code === 'unrecognized_keys') {
    const value = valueAt(data, issue.path);
    const together = objectShape(at) ? undefined : apart(at, value);
    if (together) return together;
    const shape = objectShape(at) ?? unionShapes(at, value)[0];
    return shape
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${quoted(issue.keys)}; allowed keys: ` +
          `${Object.keys(shape).join(', ')}`
      : issue.message;
  }
  if (issue.code === 'invalid_union') return unionMessage(at, valueAt(data, issue.path), issue) ?? issue.message;
  return issue.message;
}

/** The strict-object options of a union, each with its index among the union's options. */
function strictOptions(union: z.ZodType): { shape: Record<string, z.ZodType>; index: number }[] {
  return (defOf(union).options ?? []).flatMap((o, index) => {
    const shape = objectShape(o);
    return shape ? [{ shape, index }] : [];
  });
}

/** The options that have every key the value has (all of them when none has, unless `orAll` is false). */
function unionShapes(union: z.ZodType, value: unknown, orAll = true): Record<string, z.ZodType>[] {
  const shapes = strictOptions(union).map((o) => o.shape);
  const keys = isRecord(value) ? Object.keys(value) : [];
  const fitting = shapes.filter((s) => keys.every((k) => k in s));
  return fitting.length || !orAll ? fitting : shapes;
}

const alternativesOf = (options: { shape: Record<string, z.ZodType> }[]) =>
  options.map((o) => requiredKeys(o.shape).join(' and ')).join(', ');

/** Keys each allowed by some option, but by no one option together (a kernel with both path and preset). */
function apart(union: z.ZodType, value: unknown): string | undefined {
  const options = strictOptions(union);
  const keys = isRecord(value) ? Object.keys(value) : [];
  const allowed = new Set(options.flatMap((o) => Object.keys(o.shape)));
  if (!keys.every((k) => allowed.has(k)) || unionShapes(union, value, false).length) return undefined;
  return `keys ${quoted(keys)} do not go together: use one of ${alternativesOf(options)}`;
}

const requiredKeys = (shape: Record<string, z.ZodType>) => Object.keys(shape).filter((k) => !isOptional(shape[k]!));

/**
 * A union of strict objects (a scenario step: run, qmp or model) fails as a
 * whole, and zod says only "Invalid input": name the key that is wrong and
 * the keys allowed, or the one option the keys point to and what it lacks.
 */
function unionMessage(
  union: z.ZodType,
  value: unknown,
  issue: Extract<Issue, { code: 'invalid_union' }>,
): string | undefined {
  const options = strictOptions(union);
  if (!options.length) return undefined;
  const alternatives = alternativesOf(options);
  const allowed = [
    ...new Set([...options.flatMap((o) => requiredKeys(o.shape)), ...options.flatMap((o) => Object.keys(o.shape))]),
  ];
  if (!isRecord(value))
    return options.length === defOf(union).options?.length
      ? `expected a mapping with one of the keys ${alternatives}`
      : undefined;
  const keys = Object.keys(value);
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length)
    return `unknown key${unknown.length > 1 ? 's' : ''} ${quoted(unknown)}; allowed keys: ${allowed.join(', ')}`;
  const fitting = options.filter((o) => keys.every((k) => k in o.shape) && keys.some((k) => !isOptional(o.shape[k]!)));
  if (!fitting.length)
    return keys.some((k) => options.some((o) => requiredKeys(o.shape).includes(k)))
      ? `keys ${quoted(keys)} do not go together: use one of ${alternatives}`
      : `needs one of the keys ${alternatives}`;
  if (fitting.length > 1) return undefined;
  const [first] = issue.errors[fitting[0]!.index] ?? [];
  return first && `${first.path.length ? `${fieldPath(first.path)}: ` : ''}${first.message}`;
}

// --- positions in the YAML text ------------------------------------------------

/** Where a field is in a YAML text, for errors found after validation (a file a field names is missing). */
export function yamlLocator(text: string): (path: readonly PropertyKey[]) => { line?: number; column?: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return (path) => position(doc, lineCounter, path);
}

/** The line and column of the deepest node of the path that the text has (a missing key points at its parent). */
function position(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): { line?: number; column?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = (n ? doc.getIn(path.slice(0, n), true) : doc.contents) as
      { range?: readonly number[] } | null | undefined;
    const offset = node?.range?.[0];
    if (offset !== undefined) {
      const { line, col } = lines.linePos(offset);
      return { line, column: col };
    }
  }
  return {};
}
