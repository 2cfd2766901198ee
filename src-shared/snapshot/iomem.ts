// /proc/iomem text <-> lines. The kernel prints one resource per line,
// depth-first, two spaces of indent per level (kernel/resource.c r_show).
import type { IomemLine } from './types';

/** A hex field of a line, or -1 when it is not one (no regular expressions: trees reach 100,000 lines). */
function hexField(l: string, from: number, to: number): number {
  if (to <= from || to - from > 13) return -1;
  let v = 0;
  for (let k = from; k < to; k++) {
    const c = l.charCodeAt(k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * Never throws: lines it cannot read are reported in `problems` and skipped.
 * `texts[i]` is the line `lines[i]` was read from.
 */
export function parseIomem(text: string): { lines: IomemLine[]; texts: string[]; problems: string[] } {
  const lines: IomemLine[] = [];
  const texts: string[] = [];
  const problems: string[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let l = raw[i]!;
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (l === '') continue;
    const line = parseIomemLine(l);
    if (typeof line === 'string') problems.push(`iomem line ${i + 1}: ${line}: ${JSON.stringify(l.slice(0, 120))}`);
    else {
      lines.push(line);
      texts.push(l);
    }
  }
  return { lines, texts, problems };
}

/** One line, or why it cannot be read. */
export function parseIomemLine(l: string): IomemLine | string {
  let indent = 0;
  while (l.charCodeAt(indent) === 32) indent++;
  const dash = l.indexOf('-', indent);
  const colon = dash < 0 ? -1 : l.indexOf(' : ', dash);
  const start = dash < 0 ? -1 : hexField(l, indent, dash);
  const end = colon < 0 ? -1 : hexField(l, dash + 1, colon);
  if (start < 0 || end < 0) return 'not "START-END : NAME"';
  if (indent % 2 !== 0 || end < start) return 'bad indent or range';
  return { depth: indent / 2, start, end, name: l.slice(colon + 3) };
}

const INDENT = ['', '  ', '    ', '      ', '        ', '          '];
const BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const DIGITS = '0123456789abcdef';

/** At least 8 lowercase hex digits (the kernel's %08llx); by table, as Number#toString(16) is slow above 2^32. */
export function hex8(n: number): string {
  const lo = n >>> 0;
  const low = BYTE[lo >>> 24]! + BYTE[(lo >>> 16) & 255]! + BYTE[(lo >>> 8) & 255]! + BYTE[lo & 255]!;
  let hi = Math.floor(n / 4294967296);
  let high = '';
  while (hi > 0) {
    high = DIGITS[hi & 15]! + high;
    hi = Math.floor(hi / 16);
  }
  return high + low;
}

/**
 * One line the way the kernel prints it: start and end each
 * zero-padded to at least 8 hex digits, indent capped at 5 levels.
 */
export function formatIomemLine(l: IomemLine): string {
  return INDENT[Math.min(l.depth, 5)]! + iomemBody(l.start, l.end, l.name);
}

/** A line without its indent. */
export function iomemBody(start: number, end: number, name: string): string {
  return hex8(start) + '-' + hex8(end) + ' : ' + name;
}
