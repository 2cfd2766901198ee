// The `memmap=` kernel arguments as the kernel applies them to its e820 table
// (arch/x86/kernel/e820.c parse_memmap_one, e820__range_add,
// e820__range_update, e820__range_remove, e820__update_table). Only the
// entry types the model turns into resources are modelled; any other form is
// returned as not modelled, never dropped.

export const E820_RAM = 1;
export const E820_RESERVED = 2;
export const E820_PRAM = 12;
/** the types a memmap= argument may produce here: RAM, reserved, legacy persistent memory */
const MODELLED_TYPES = new Set([E820_RAM, E820_RESERVED, E820_PRAM]);

export interface E820Entry {
  start: number;
  end: number;
  type: number;
}

type Op =
  | { kind: 'add'; start: number; end: number; type: number }
  | { kind: 'update'; start: number; end: number; from: number; to: number }
  | { kind: 'remove'; start: number; end: number; from?: number };

const SHIFT: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** memparse: a number (decimal or 0x hex) with an optional K/M/G/T suffix; the rest of the string. */
function memparse(s: string): [number, string] | undefined {
  const m = /^(0x[0-9a-f]+|[0-9]+)([KMGT]?)/i.exec(s);
  if (!m) return undefined;
  const n =
    Number(m[1]!.toLowerCase().startsWith('0x') ? parseInt(m[1]!, 16) : m[1]) * (SHIFT[m[2]!.toUpperCase()] ?? 1);
  return [n, s.slice(m[0].length)];
}

/** parse_memmap_one for one `memmap=` value; undefined for the forms the model leaves out. */
function parseMemmapOne(value: string): Op | undefined {
  const size = memparse(value);
  if (!size || size[0] === 0) return undefined;
  const [len, rest] = size;
  const at = memparse(rest.slice(1));
  if (!at) return undefined;
  const [start, tail] = at;
  const end = start + len - 1;
  const sep = rest[0];
  if (sep === '!' && tail === '') return { kind: 'add', start, end, type: E820_PRAM };
  if (sep === '$' && tail === '') return { kind: 'add', start, end, type: E820_RESERVED };
  if (sep === '@' && tail === '') return { kind: 'add', start, end, type: E820_RAM };
  if (sep !== '%') return undefined;
  const m = /^(?:-(\d+))?(?:\+(\d+))?$/.exec(tail);
  if (!m) return undefined;
  const from = m[1] === undefined ? undefined : Number(m[1]);
  const to = m[2] === undefined ? undefined : Number(m[2]);
  if (to !== undefined && !MODELLED_TYPES.has(to)) return undefined;
  if (from !== undefined && to !== undefined) return { kind: 'update', start, end, from, to };
  if (to !== undefined) return { kind: 'add', start, end, type: to };
  return { kind: 'remove', start, end, ...(from === undefined ? {} : { from }) };
}

/**
 * e820_nomerge: persistent memory is never merged with its neighbour, since each
 * entry may be a platform range of its own (and becomes a region of its own).
 * Soft-reserved memory is the other such type; the model does not produce it.
 */
const e820Nomerge = (type: number) => type === E820_PRAM;

/**
 * e820__update_table: where entries overlap the highest type wins; adjacent
 * pieces of one type merge, except persistent memory, which stays cut at every
 * boundary of an entry that overlapped it (memmap=384M!1664M over the end of
 * a 2 GiB guest's low RAM gives two entries, split where SeaBIOS's reserve began).
 */
export function e820UpdateTable(table: E820Entry[]): E820Entry[] {
  const points = [...new Set(table.flatMap((e) => [e.start, e.end + 1]))].sort((a, b) => a - b);
  const out: E820Entry[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i]!, points[i + 1]! - 1];
    const type = Math.max(0, ...table.filter((x) => x.start <= s && e <= x.end).map((x) => x.type));
    if (!type) continue;
    const last = out[out.length - 1];
    if (last && last.type === type && !e820Nomerge(type) && last.end + 1 === s) last.end = e;
    else out.push({ start: s, end: e, type });
  }
  return out;
}

/** The part of each entry outside [start, end], and the part inside it. */
function cut(e: E820Entry, start: number, end: number): { outside: E820Entry[]; inside?: E820Entry } {
  if (e.end < start || e.start > end) return { outside: [e] };
  const outside: E820Entry[] = [];
  if (e.start < start) outside.push({ ...e, end: start - 1 });
  if (e.end > end) outside.push({ ...e, start: end + 1 });
  return { outside, inside: { ...e, start: Math.max(e.start, start), end: Math.min(e.end, end) } };
}

function apply(table: E820Entry[], op: Op): E820Entry[] {
  if (op.kind === 'add') return e820UpdateTable([...table, { start: op.start, end: op.end, type: op.type }]);
  const next: E820Entry[] = [];
  for (const e of table) {
    const hit = op.kind === 'update' ? e.type === op.from : op.from === undefined || e.type === op.from;
    if (!hit) {
      next.push(e);
      continue;
    }
    const { outside, inside } = cut(e, op.start, op.end);
    next.push(...outside);
    if (inside && op.kind === 'update') next.push({ ...inside, type: op.to });
  }
  return e820UpdateTable(next);
}

/**
 * The e820 table after the `memmap=` arguments, from the firmware's table;
 * and the memmap= arguments the model does not carry out.
 */
export function applyMemmap(firmware: E820Entry[], args: string[]) {
  let table = firmware;
  const notModelled: string[] = [];
  for (const a of args) {
    if (!a.startsWith('memmap=')) continue;
    const ops = a.slice('memmap='.length).split(',').map(parseMemmapOne);
    if (ops.some((op) => !op)) notModelled.push(a);
    else for (const op of ops) table = apply(table, op!);
  }
  return { table, notModelled };
}
