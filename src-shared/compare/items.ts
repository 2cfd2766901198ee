// Real vs model on what a step printed and returned and on the kernel messages
// it caused (design.md "Fidelity by dimension": exit, output, log). Each side
// is a list of items compared as multisets: total = |union|, matched =
// |intersection|. A side that was not predicted or not captured is shown, not
// counted; so is a real message no modelled rule prints.
import type { Side } from './fidelity';
import { parseQmpReply } from '../actions/qmp-reply';

export interface ItemDiffRow {
  side: Side;
  /** the item: `exit 0`, a QMP answer's class, a `path=value` of a tool's JSON, a normalised line, a message */
  text: string;
  /** shown but outside the metric: the other side has no such list, or no modelled rule prints this message */
  counted?: false;
}

/** libuuid's text form: ndctl and daxctl print new ones at every run */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** JSON keys whose values a run makes up anew (ndctl's uuid, raw_uuid, parent_uuid) */
const RANDOM_KEY = /uuid$/;
const mask = (s: string): string => s.replace(UUID, '<uuid>');

const indentOf = (l: string): number => l.length - l.trimStart().length;

/**
 * The JSON value that starts at `lines[from]` (its opening bracket first on
 * the line) and the index of its last line, or null. The tools pretty-print:
 * a value either fits its line or closes on a line of the same indentation
 * that starts with the matching bracket, its inner lines indented deeper.
 */
function jsonAt(lines: string[], from: number): { value: unknown; end: number } | null {
  const first = lines[from]!.trim();
  const close = first[0] === '{' ? '}' : ']';
  const indent = indentOf(lines[from]!);
  for (let j = from; j < lines.length; j++) {
    const l = lines[j]!;
    const closes = j === from ? first.endsWith(close) : l.trimStart().startsWith(close) && indentOf(l) === indent;
    if (closes) {
      try {
        return { value: JSON.parse(lines.slice(from, j + 1).join('\n')), end: j };
      } catch {
        if (j > from) return null;
      }
    } else if (j > from && indentOf(l) <= indent) return null;
  }
  return null;
}

/** A JSON value as `path=value` items (daxregion.devices[0].chardev="dax0.0"), random values masked. */
function flatten(v: unknown, path: string, out: string[]): void {
  const leaf = (text: string) => out.push(path ? `${path}=${text}` : text);
  if (Array.isArray(v)) {
    if (!v.length) leaf('[]');
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (!entries.length) leaf('{}');
    for (const [k, x] of entries) {
      const p = path ? `${path}.${k}` : k;
      if (RANDOM_KEY.test(k) && typeof x === 'string') out.push(`${p}=<uuid>`);
      else flatten(x, p, out);
    }
  } else leaf(mask(JSON.stringify(v)));
}

/**
 * What a tool printed as items: each JSON value (ndctl, daxctl, QMP) as its
 * `path=value` pairs, whatever the key order; every other line trimmed, runs
 * of blanks as one, uuids masked; blank lines left out.
 */
export function outputItems(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trimEnd());
  const items: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const json = /^\s*[[{]/.test(l) ? jsonAt(lines, i) : null;
    if (json) {
      flatten(json.value, '', items);
      i = json.end;
    } else if (l.trim()) items.push(mask(l.trim().replace(/\s+/g, ' ')));
  }
  return items;
}

/** The step's outcome as one item: a QMP command's success or error class, else the exit status. */
export function exitItem(a: { output?: string; exitCode?: number }, qmp: boolean): string | undefined {
  const answer = qmp ? parseQmpReply(a.output) : undefined;
  if (answer && 'return' in answer) return 'QMP success';
  if (answer?.error.class) return `QMP error ${answer.error.class}`;
  return a.exitCode === undefined ? undefined : `exit ${a.exitCode}`;
}

const keyOf = (text: string): string => {
  const eq = text.indexOf('=');
  return eq < 0 ? text : text.slice(0, eq);
};

/**
 * Rows in the real side's order, each real item paired with an equal model
 * item while one is left; a model-only item follows the last real-only row of
 * its key (the same JSON path), else comes last. A side that is undefined has
 * no list: the other side's items are shown, not counted. `counts` says which
 * unpaired real items count.
 */
export function diffItems(
  real: readonly string[] | undefined,
  model: readonly string[] | undefined,
  counts: (text: string) => boolean = () => true,
): ItemDiffRow[] {
  if (!real || !model) {
    const side: Side = real ? 'real' : 'model';
    return (real ?? model ?? []).map((text) => ({ side, text, counted: false }));
  }
  const left = new Map<string, number>();
  for (const m of model) left.set(m, (left.get(m) ?? 0) + 1);
  const rows: ItemDiffRow[] = real.map((text) => {
    const n = left.get(text) ?? 0;
    if (n > 0) {
      left.set(text, n - 1);
      return { side: 'both', text };
    }
    return counts(text) ? { side: 'real', text } : { side: 'real', text, counted: false };
  });
  const lastReal = new Map<string, number>();
  rows.forEach((r, i) => r.side === 'real' && lastReal.set(keyOf(r.text), i));
  const after = new Map<number, ItemDiffRow[]>();
  for (const text of model) {
    const n = left.get(text) ?? 0;
    if (n === 0) continue;
    left.set(text, n - 1);
    const at = lastReal.get(keyOf(text)) ?? rows.length;
    (after.get(at) ?? after.set(at, []).get(at)!).push({ side: 'model', text });
  }
  return [...rows.flatMap((r, i) => [r, ...(after.get(i) ?? [])]), ...(after.get(rows.length) ?? [])];
}
