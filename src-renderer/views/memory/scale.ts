// Address -> pixel for the memory map. Physical address spaces mix 4 KiB
// holes with terabyte windows, so a linear bar shows nothing. Piecewise: each
// top-level resource and each gap gets a width that grows with the log of its
// size, never under its minimum (the caller sizes it to fit a label), so
// everything stays visible, labelled and clickable. When the minimums alone
// overflow the bar they shrink in proportion and the labels fall back (see
// map-labels.ts). Log: the address itself on a log axis.
import type { IomemLine } from '../../../src-shared/snapshot/types';

export interface Segment {
  start: number;
  end: number;
  x0: number;
  x1: number;
  /** an address range no top-level resource claims */
  gap: boolean;
}

export interface AddressScale {
  toX(addr: number): number;
  toAddr(x: number): number;
  segments: Segment[];
  top: number;
}

export type Range = Pick<Segment, 'start' | 'end' | 'gap'>;

/** The top-level resources in address order with the gaps between them, from 0 to the last end. */
export function topRanges(lines: IomemLine[]): Range[] {
  const tops = lines.filter((l) => l.depth === 0).sort((a, b) => a.start - b.start);
  const ranges: Range[] = [];
  let at = 0;
  for (const t of tops) {
    if (t.start > at) ranges.push({ start: at, end: t.start - 1, gap: true });
    if (t.end >= at) ranges.push({ start: Math.max(at, t.start), end: t.end, gap: false });
    at = Math.max(at, t.end + 1);
  }
  if (!ranges.length) ranges.push({ start: 0, end: 2 ** 32 - 1, gap: true });
  return ranges;
}

export function piecewiseScale(
  lines: IomemLine[],
  width: number,
  minPx: number | ((r: Range) => number) = 6,
): AddressScale {
  const ranges = topRanges(lines);
  const mins = ranges.map((r) => (typeof minPx === 'number' ? minPx : minPx(r)));
  const minSum = mins.reduce((a, b) => a + b, 0);
  const shrink = minSum > width ? width / minSum : 1;
  const weights = ranges.map((r) => Math.log2(r.end - r.start + 2));
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = Math.max(0, width - minSum);
  const segments: Segment[] = [];
  let x = 0;
  ranges.forEach((r, i) => {
    const w = mins[i]! * shrink + (spare * weights[i]!) / sum;
    segments.push({ ...r, x0: x, x1: x + w });
    x += w;
  });
  const top = ranges[ranges.length - 1]!.end + 1;
  const find = <T>(arr: T[], test: (s: T) => number): T => {
    let lo = 0;
    let hi = arr.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (test(arr[mid]!) > 0) lo = mid + 1;
      else hi = mid;
    }
    return arr[lo]!;
  };
  return {
    segments,
    top,
    toX(addr) {
      if (addr <= 0) return 0;
      if (addr >= top) return width;
      const s = find(segments, (g) => (g.end < addr ? 1 : 0));
      return s.x0 + ((addr - s.start) / (s.end - s.start + 1)) * (s.x1 - s.x0);
    },
    toAddr(px) {
      if (px <= 0) return 0;
      if (px >= width) return top;
      const s = find(segments, (g) => (g.x1 <= px ? 1 : 0));
      return s.start + Math.floor(((px - s.x0) / (s.x1 - s.x0)) * (s.end - s.start + 1));
    },
  };
}

export function logScale(lines: IomemLine[], width: number): AddressScale {
  const top = Math.max(2 ** 20, ...lines.map((l) => l.end + 1));
  const k = width / Math.log2(top + 1);
  return {
    segments: [],
    top,
    toX: (addr) => Math.min(width, Math.max(0, Math.log2(Math.max(0, addr) + 1) * k)),
    toAddr: (px) => Math.min(top, Math.max(0, Math.round(2 ** (px / k) - 1))),
  };
}

/** The innermost resource containing an address (the deepest line), for clicks and tooltips. */
export function innermostAt(lines: IomemLine[], addr: number): IomemLine | undefined {
  let best: IomemLine | undefined;
  for (const l of lines) if (l.start <= addr && addr <= l.end && (!best || l.depth > best.depth)) best = l;
  return best;
}

const same = (a: IomemLine, b: IomemLine) =>
  a.start === b.start && a.end === b.end && a.depth === b.depth && a.name === b.name;

/** A resource's parent and direct children in the tree, for stepping through nested ranges without zooming. */
export function family(lines: IomemLine[], line: IomemLine): { parent?: IomemLine; children: IomemLine[] } {
  const i = lines.findIndex((l) => same(l, line));
  if (i < 0) return { children: [] };
  let parent: IomemLine | undefined;
  for (let j = i - 1; j >= 0 && !parent; j--) if (lines[j]!.depth < line.depth) parent = lines[j];
  const children: IomemLine[] = [];
  for (let j = i + 1; j < lines.length && lines[j]!.depth > line.depth; j++)
    if (lines[j]!.depth === line.depth + 1) children.push(lines[j]!);
  return { ...(parent ? { parent } : {}), children };
}
