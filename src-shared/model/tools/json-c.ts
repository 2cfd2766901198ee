// JSON as ndctl and daxctl print it: json-c's json_object_to_json_string_ext
// with JSON_C_TO_STRING_PRETTY (json-c/json_object.c): two spaces per level,
// no space after the colon, "/" escaped, keys in insertion order. And the
// number formats of ndctl's util/json.c for --human.

export type JsonValue = string | number | bigint | boolean | JsonValue[] | { [key: string]: JsonValue };

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** json-c's json_escape_str: quotes, backslash, slash, and control characters */
function escape(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += ESCAPES[c] ?? (code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return out;
}

function print(v: JsonValue, level: number): string {
  if (typeof v === 'string') return `"${escape(v)}"`;
  if (typeof v !== 'object') return String(v);
  const pad = (n: number) => '  '.repeat(n);
  const items = Array.isArray(v)
    ? v.map((x) => `\n${pad(level + 1)}${print(x, level + 1)}`)
    : Object.entries(v).map(([k, x]) => `\n${pad(level + 1)}"${escape(k)}":${print(x, level + 1)}`);
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  // json-c 0.16 (Debian 12) breaks the line after the opening bracket even when nothing follows
  return `${open}${items.join(',')}\n${pad(level)}${close}`;
}

/** The text the tools print for a JSON value, newline included. */
export const jsonC = (v: JsonValue): string => `${print(v, 0)}\n`;

/**
 * util/json.c display_size (--human): below 5000 KiB the plain number, else
 * centi-MiB (below 2 GiB), GiB (below 2 TiB) or TiB, rounded, with the decimal
 * (JEDEC) size beside it: "1024.00 MiB (1073.74 MB)".
 */
export function humanSize(bytes: number): JsonValue {
  if (bytes < 5000 * 1024) return bytes;
  const b = BigInt(bytes);
  const [iec, jedec, unit] =
    bytes < 2 * 2 ** 30
      ? [2n ** 20n, 1000000n, 'M']
      : bytes < 2 * 2 ** 40
        ? [2n ** 30n, 1000000000n, 'G']
        : [2n ** 40n, 1000000000000n, 'T'];
  const cBin = ((b * 200n) / iec + 1n) / 2n;
  const cDec = (b / (jedec / 200n) + 1n) / 2n;
  const two = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
  return `${two(cBin)} ${unit}iB (${two(cDec)} ${unit}B)`;
}

/** util_json_object_size: a size, human or not */
export const jsonSize = (bytes: number, human: boolean): JsonValue => (human ? humanSize(bytes) : bytes);

/** util_json_object_hex: a number, "%#llx" with --human (whose "#" puts no 0x before a zero: "0") */
export const jsonHex = (n: number, human: boolean): JsonValue => (human ? (n ? `0x${n.toString(16)}` : '0') : n);

/**
 * util_display_json_array: the array, or with --human its one element alone;
 * nothing at all for an empty list (the list commands print no "[]").
 */
export function displayJsonArray(list: JsonValue[], human: boolean): string {
  if (!list.length) return '';
  return jsonC(human && list.length === 1 ? list[0]! : list);
}

/**
 * The order libndctl and libdaxctl list devices in: they read a sysfs
 * directory (kernfs returns entries by name hash, fs/kernfs/dir.c
 * kernfs_name_hash) and add each entry at the head of their list (ccan
 * list_add), so the last entry read comes first.
 */
export function kernfsListOrder<T>(items: T[], name: (x: T) => string): T[] {
  return [...items].sort((a, b) => kernfsNameHash(name(b)) - kernfsNameHash(name(a)));
}

const GOLDEN_RATIO_64 = 0x61c8864680b583ebn;
const U64 = (1n << 64n) - 1n;

/** fs/kernfs/dir.c kernfs_name_hash (no namespace): partial_name_hash per byte, end_name_hash (hash_64 to 32 bits) */
export function kernfsNameHash(name: string): number {
  let hash = 0n;
  // device names are ASCII: one byte per character
  for (let i = 0; i < name.length; i++) {
    const ch = BigInt(name.charCodeAt(i) & 0xff);
    hash = ((hash + (ch << 4n) + (ch >> 4n)) * 11n) & U64;
  }
  let h = Number((((hash * GOLDEN_RATIO_64) & U64) >> 32n) & 0x7fffffffn);
  if (h < 2) h += 2;
  if (h >= 0x7fffffff) h = 0x7fffffff - 1;
  return h;
}
