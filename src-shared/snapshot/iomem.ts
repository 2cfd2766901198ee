// /proc/iomem text <-> lines. The kernel prints one resource per line,
// depth-first, two spaces of indent per level (kernel/resource.c r_show).
import type { IomemLine } from './types';

const LINE = /^( *)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$/;

/** Never throws: lines it cannot read are reported in `problems` and skipped. */
export function parseIomem(text: string): { lines: IomemLine[]; problems: string[] } {
  const lines: IomemLine[] = [];
  const problems: string[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i]!.replace(/\r$/, '');
    if (l === '') continue;
    const m = LINE.exec(l);
    if (!m) {
      problems.push(`iomem line ${i + 1}: not "START-END : NAME": ${JSON.stringify(l.slice(0, 120))}`);
      continue;
    }
    const indent = m[1]!.length;
    const start = parseInt(m[2]!, 16);
    const end = parseInt(m[3]!, 16);
    if (indent % 2 !== 0 || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) {
      problems.push(`iomem line ${i + 1}: bad indent or range: ${JSON.stringify(l.slice(0, 120))}`);
      continue;
    }
    lines.push({ depth: indent / 2, start, end, name: m[4]! });
  }
  return { lines, problems };
}

/** One line the way the kernel prints it: start and end each zero-padded to at least 8 hex digits, indent capped at 5 levels. */
export function formatIomemLine(l: IomemLine): string {
  return `${'  '.repeat(Math.min(l.depth, 5))}${l.start.toString(16).padStart(8, '0')}-${l.end.toString(16).padStart(8, '0')} : ${l.name}`;
}
