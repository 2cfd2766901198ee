// What the address map writes on itself: a label for every top-level range,
// the size of every gap, the RAM holes, and axis ticks that neither collide
// nor leave the canvas. Pure, so it is tested without a canvas; `measure`
// is the text width in pixels in the font the map draws with.
import type { IomemLine } from '../../../src-shared/snapshot/types';
import type { Range, Segment } from './scale';

export type Measure = (text: string) => number;

/** Padding a label keeps from its segment's edges, on each side. */
export const LABEL_PAD = 3;

const SHORT: [RegExp, string][] = [
  [/^System RAM \(kmem\)/, 'kmem'],
  [/^System RAM/, 'RAM'],
  [/^Persistent Memory/, 'PMEM'],
  [/^Soft Reserved/, 'Soft'],
  [/^Reserved/i, 'Rsvd'],
  [/^PCI Bus/, 'PCI'],
  [/^Local APIC/, 'LAPIC'],
  [/^IOAPIC/, 'IOAPIC'],
  [/^HPET/, 'HPET'],
  [/^namespace(\d+\.\d+)/, 'ns$1'],
  [/^Kernel (\w+)/, '$1'],
  [/^(ACPI|Video|System) (ROM|Tables|Non-volatile)/, '$2'],
];

/** A resource's names from the full one down to the shortest: what fits is written, the full one shows on hover. */
export function labelCandidates(name: string): string[] {
  const out = [name];
  for (const [re, short] of SHORT) {
    if (!re.test(name)) continue;
    out.push(name.replace(re, short).replace(/ .*/, ''));
    break;
  }
  const last = out[out.length - 1]!;
  if (last.length > 1) out.push(last[0]!);
  return [...new Set(out)];
}

/** The longest candidate that fits `px` with padding, or '' when none does. */
export function fitLabel(candidates: string[], px: number, measure: Measure): string {
  return candidates.find((c) => measure(c) + 2 * LABEL_PAD <= px) ?? '';
}

/** The width a top-level range needs for its shortest readable label (not the one-letter one). */
export function minWidthFor(name: string, measure: Measure): number {
  const c = labelCandidates(name);
  return measure(c[Math.max(0, c.length - 2)]!) + 2 * LABEL_PAD;
}

/** Sizes as a kernel log rounds them: the largest unit with three digits at most, "~" when rounded. */
export function approxSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let u = 0;
  let v = bytes;
  for (; v >= 1024 && u < units.length - 1; u++) v /= 1024;
  const r = v >= 10 ? Math.round(v) : Math.round(v * 10) / 10;
  return `${r === v ? '' : '~'}${r}${units[u]}`;
}

export interface SegmentLabel extends Segment {
  name: string;
  /** the text drawn in the segment ('' when it shares one) */
  label: string;
  /** the one text drawn over a run of ranges too narrow for their own labels (the same object on each) */
  shared?: { label: string; x0: number; x1: number };
}

/**
 * One label per segment. A range writes the longest of its names that fits; a
 * gap writes its size when it fits and stays a bare hatch otherwise. Adjacent
 * ranges left without a label (only when there are more ranges than the bar
 * has room for at their minimum widths) share one: "3 ranges" over their
 * joint span, or the count alone; a lone one writes its initial squeezed into
 * its width. So no range goes unmarked; each is named on hover.
 */
export function segmentLabels(segments: Segment[], lines: IomemLine[], measure: Measure): SegmentLabel[] {
  const tops = new Map(lines.filter((l) => l.depth === 0).map((l) => [l.start, l.name]));
  const out: SegmentLabel[] = segments.map((s) => {
    const name = s.gap ? 'gap' : (tops.get(s.start) ?? '?');
    const size = approxSize(s.end - s.start + 1);
    const cands = s.gap ? [`gap ${size}`, size] : labelCandidates(name);
    return { ...s, name, label: fitLabel(cands, s.x1 - s.x0, measure) };
  });
  for (let i = 0; i < out.length; i++) {
    if (out[i]!.gap || out[i]!.label) continue;
    // the run: this range and the unlabelled ranges after it, across the gaps between them
    let j = i;
    for (let k = i + 1; k < out.length && (out[k]!.gap || !out[k]!.label); k++) if (!out[k]!.gap) j = k;
    const run = out.slice(i, j + 1).filter((s) => !s.gap);
    if (run.length === 1) {
      out[i]!.label = labelCandidates(out[i]!.name).pop()!;
      continue;
    }
    const x0 = out[i]!.x0;
    const x1 = out[j]!.x1;
    const label = fitLabel([`${run.length} ranges`], x1 - x0, measure) || String(run.length);
    const shared = { label, x0, x1 };
    for (const s of out.slice(i, j + 1)) Object.assign(s, { shared, label: '' });
    i = j;
  }
  return out;
}

const MEMORY = /^(System RAM|Persistent Memory|Soft Reserved)/;

/**
 * Address ranges between two memory resources (RAM or persistent memory) that
 * hold no memory, 64 MiB or more: on a PC the MMIO hole under 4 GiB. Smaller
 * ones (the legacy ROM area under 1 MiB) are left to the segments themselves.
 */
export function memoryHoles(lines: IomemLine[], minBytes = 2 ** 26): Range[] {
  const mem = lines.filter((l) => l.depth === 0 && MEMORY.test(l.name)).sort((a, b) => a.start - b.start);
  const holes: Range[] = [];
  for (let i = 1; i < mem.length; i++) {
    const start = mem[i - 1]!.end + 1;
    const end = mem[i]!.start - 1;
    if (end - start + 1 >= minBytes) holes.push({ start, end, gap: true });
  }
  return holes;
}

export interface Tick {
  addr: number;
  /** the tick mark's x */
  x: number;
  text: string;
  /** where the text is drawn: [x0, x1) inside the canvas */
  x0: number;
  x1: number;
}

/** Trailing zero bits, without 32-bit bitwise operators (addresses pass 4 GiB). */
function roundness(a: number): number {
  if (a === 0) return 64;
  let n = 0;
  for (; a % 2 === 0; a /= 2) n++;
  return n;
}

/**
 * Axis ticks from candidate addresses in view, roundest first (most trailing
 * zero bits: 0 and 4 GiB before 0x9fc00, range boundaries before the
 * arbitrary addresses at the edges of a zoomed view) as long as their text
 * keeps `gapPx` from every label already placed. Text is centred on its tick,
 * or ends or starts there when that avoids a collision, and is pushed inside
 * the canvas at the ends.
 */
export function axisTicks(
  addrs: number[],
  toX: (a: number) => number,
  width: number,
  measure: Measure,
  gapPx = 8,
): Tick[] {
  const placed: Tick[] = [];
  const free = (t: Tick) => placed.every((p) => t.x1 + gapPx <= p.x0 || p.x1 + gapPx <= t.x0);
  const place = (addr: number): void => {
    const x = Math.min(width, Math.max(0, toX(addr)));
    const text = `0x${addr.toString(16)}`;
    const w = measure(text);
    for (const left of [x - w / 2, x - w, x]) {
      const x0 = Math.min(width - w, Math.max(0, left));
      const t = { addr, x, text, x0, x1: x0 + w };
      if (free(t)) return void placed.push(t);
    }
  };
  // in view: the ends of a view come back from toX(toAddr(edge)) a rounding error outside it
  [...new Set(addrs)]
    .filter((a) => toX(a) >= -1 && toX(a) <= width + 1)
    .sort((a, b) => roundness(b) - roundness(a) || a - b)
    .forEach(place);
  return placed.sort((a, b) => a.x - b.x);
}
