// Real vs model, the snapshot's first two dimensions (design.md "Fidelity by
// dimension"; docs/model.md "Where the real guest corrected the spec's
// reading"): /proc/iomem as sets of (depth, start, end, name) lines without the
// four kernel-image lines and the legacy "Adapter ROM" line, and memory blocks
// as sets of (id, state, node, valid_zones). total = |union|, matched = |intersection|.
import { parseIomemLine } from '../snapshot/iomem';
import type { IomemLine, MemoryBlockInfo } from '../snapshot/types';

/**
 * Resource names outside the metric, each with why no profile can predict it:
 * - the kernel image lines move with the kernel build;
 * - "Adapter ROM": probe_roms (arch/x86/kernel/probe_roms.c) claims an option
 *   ROM between the video ROM and 0xf0000 only when its bytes sum to zero, and
 *   SeaBIOS leaves an image (pc: 0xe8800, q35: 0xe8000) whose data it keeps
 *   changing, so the sum is right by chance, about one boot in 256.
 */
const OUTSIDE_METRIC = new Set(['Kernel code', 'Kernel rodata', 'Kernel data', 'Kernel bss', 'Adapter ROM']);
/** Their last characters: most lines fail this test and skip the lookup (the diff reads every line). */
const OUTSIDE_METRIC_LAST = new Set([...OUTSIDE_METRIC].map((n) => n.charCodeAt(n.length - 1)));

export interface Fidelity {
  matched: number;
  total: number;
}

export type Side = 'both' | 'real' | 'model';

export interface IomemDiffRow {
  side: Side;
  /** the line as printed (read it with parseIomem for depth, range and name) */
  text: string;
}

export interface BlockDiffRow {
  side: Side;
  id: number;
  real?: MemoryBlockInfo;
  model?: MemoryBlockInfo;
}

const blockKey = (b: MemoryBlockInfo) => `${b.id}|${b.state}|${b.node}|${b.zones}`;

/** An iomem line (trimmed or not) whose resource no profile predicts; a step's printed /proc/iomem skips it too. */
export function isOutsideMetric(l: string): boolean {
  if (!OUTSIDE_METRIC_LAST.has(l.charCodeAt(l.length - 1))) return false;
  const colon = l.lastIndexOf(' : ');
  return colon >= 0 && OUTSIDE_METRIC.has(l.slice(colon + 3));
}

/** A listing's lines; `next` skips what does not count (blank lines, the kernel image, the adapter ROM). */
class Listing {
  readonly lines: string[];
  /** The last line read, so a line compared several times is parsed once. */
  private keyAt = -1;
  private keyOf: IomemLine | null = null;
  i = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    this.skip();
  }

  get done(): boolean {
    return this.i >= this.lines.length;
  }

  get line(): string {
    const l = this.lines[this.i]!;
    return l.charCodeAt(l.length - 1) === 13 ? l.slice(0, -1) : l;
  }

  /** The current line read as (depth, start, end, name), or null when it cannot be read. */
  key(): IomemLine | null {
    if (this.keyAt !== this.i) {
      const p = parseIomemLine(this.line);
      this.keyAt = this.i;
      this.keyOf = typeof p === 'string' ? null : p;
    }
    return this.keyOf;
  }

  next(): void {
    this.i++;
    this.skip();
  }

  private skip(): void {
    while (this.i < this.lines.length && (this.lines[this.i]!.length === 0 || isOutsideMetric(this.lines[this.i]!)))
      this.i++;
  }
}

/** Orders lines as /proc/iomem does: by start, parents (smaller depth) first, then end and name. */
function order(a: IomemLine, b: IomemLine): number {
  return a.start - b.start || a.depth - b.depth || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Rows of both trees in address order, each in both, real only or model only.
 * Both listings are depth-first, so already sorted by (start, depth): one merge
 * pass; equal lines (the common case) are matched as text without parsing.
 * Lines that cannot be read, on one side only, count on neither.
 */
export function diffIomem(realText: string, modelText: string): IomemDiffRow[] {
  const real = new Listing(realText);
  const model = new Listing(modelText);
  const rows: IomemDiffRow[] = [];
  while (!real.done || !model.done) {
    if (!real.done && !model.done && real.line === model.line) {
      rows.push({ side: 'both', text: real.line });
      real.next();
      model.next();
      continue;
    }
    const r = real.done ? null : real.key();
    const m = model.done ? null : model.key();
    if (!real.done && !r) real.next();
    else if (!model.done && !m) model.next();
    else if (r && (!m || order(r, m) <= 0)) {
      rows.push({ side: 'real', text: real.line });
      real.next();
    } else {
      rows.push({ side: 'model', text: model.line });
      model.next();
    }
  }
  return rows;
}

export function diffBlocks(real: MemoryBlockInfo[], model: MemoryBlockInfo[]): BlockDiffRow[] {
  const r = new Map(real.map((b) => [b.id, b]));
  const m = new Map(model.map((b) => [b.id, b]));
  const ids = [...new Set([...r.keys(), ...m.keys()])].sort((a, b) => a - b);
  return ids.map((id) => {
    const rb = r.get(id);
    const mb = m.get(id);
    const side: Side =
      rb && mb && blockKey(rb) === blockKey(mb) ? 'both' : rb && !mb ? 'real' : !rb && mb ? 'model' : 'real';
    return { side, id, ...(rb ? { real: rb } : {}), ...(mb ? { model: mb } : {}) };
  });
}
