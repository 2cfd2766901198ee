// The memory-block grid's geometry: blocks in id order, `cols` per row, square
// cells of `cell` pixels right of a ruler gutter of `left` pixels, scrolled by
// whole pixels. Colours are computed once per data change into one byte per
// block and one pixel row per cell row, so a frame is a copy loop.
import type { MemoryBlockInfo } from '../../../src-shared/snapshot/types';
import { nodeSwatch, OTHER, patternHit, rgba, shade, STATE_SWATCHES, ZONE_SWATCHES, type Swatch } from './colours';

export type ColourBy = 'state' | 'zone' | 'node';

export interface GridGeometry {
  cols: number;
  rows: number;
  cell: number;
  height: number;
  /** the ruler gutter's width: cells start here */
  left: number;
}

export function gridGeometry(count: number, width: number, cell: number, left = 0): GridGeometry {
  const cols = Math.max(1, Math.floor((width - left) / cell));
  const rows = Math.ceil(count / cols);
  return { cols, rows, cell, height: rows * cell, left };
}

/** The largest cell (up to `max`) at which every block fits the area without scrolling, never under `min`. */
export function fitCell(count: number, width: number, height: number, left: number, min = 4, max = 32): number {
  for (let c = max; c > min; c--) if (gridGeometry(count, width, c, left).height <= height) return c;
  return min;
}

/** The block index under a pixel of the canvas (with the grid scrolled by `scrollY`), or -1. */
export function blockAt(g: GridGeometry, count: number, x: number, y: number, scrollY: number): number {
  if (x < g.left || y < 0) return -1;
  const col = Math.floor((x - g.left) / g.cell);
  const row = Math.floor((y + scrollY) / g.cell);
  if (col >= g.cols) return -1;
  const i = row * g.cols + col;
  return i < count ? i : -1;
}

/** The zone a block is in: online blocks print one zone in valid_zones; offline ones list candidates. */
export function blockZone(b: MemoryBlockInfo): string {
  if (b.state !== 'online') return 'none';
  return b.zones.split(/\s+/)[0] || 'none';
}

/**
 * The hover text: "memory32: online, Movable, node 0, 0x100000000–0x107ffffff", and for a block holding its
 * own memmap (memmap_on_memory) how much of it that takes.
 */
export function blockTip(b: MemoryBlockInfo, blockSize: number): string {
  const hex = (n: number) => `0x${n.toString(16)}`;
  const start = b.id * blockSize;
  const zone = b.state === 'online' ? blockZone(b) : `zones ${b.zones || 'none'}`;
  const memmap = b.nrVmemmapPages ? `, memmap inside: ${(b.nrVmemmapPages * 4096) / 2 ** 20} MiB` : '';
  return `memory${b.id}: ${b.state}, ${zone}, node ${b.node}, ${hex(start)}–${hex(start + blockSize - 1)}${memmap}`;
}

/** The smallest cell (less its gap) that still has room for the memmap corner mark beside its colour. */
export const MARK_MIN_SIDE = 5;

/**
 * The top-left corners of the visible cells (by block index) whose block holds its own memmap, and the mark's
 * side: a third of the cell, so the colour and pattern still show. Only the model knows it per block.
 */
export function memmapMarks(
  g: GridGeometry,
  blocks: MemoryBlockInfo[],
  side: number,
  scrollY: number,
  height: number,
): { marks: { i: number; x: number; y: number }[]; size: number } {
  const size = Math.max(3, Math.floor(side / 3));
  const marks: { i: number; x: number; y: number }[] = [];
  if (side < MARK_MIN_SIDE) return { marks, size };
  const first = Math.floor(scrollY / g.cell) * g.cols;
  const last = Math.min(blocks.length, Math.ceil((scrollY + height) / g.cell) * g.cols);
  for (let i = first; i < last; i++) {
    if (!blocks[i]!.nrVmemmapPages) continue;
    marks.push({ i, x: g.left + (i % g.cols) * g.cell, y: Math.floor(i / g.cols) * g.cell - scrollY });
  }
  return { marks, size };
}

export interface RulerMark {
  /** the row's top, in canvas pixels */
  y: number;
  /** the id of the first block in the row (ids may skip where there is no memory) */
  id: number;
}

/** Row ruler: the first block id of every Nth visible row, N the smallest step keeping labels `minPx` apart. */
export function rowRuler(
  g: GridGeometry,
  blocks: MemoryBlockInfo[],
  scrollY: number,
  height: number,
  minPx = 12,
): RulerMark[] {
  const step = Math.max(1, Math.ceil(minPx / g.cell));
  const marks: RulerMark[] = [];
  const first = Math.ceil(Math.floor(scrollY / g.cell) / step) * step;
  for (let row = first; row < g.rows && row * g.cell - scrollY < height; row += step) {
    marks.push({ y: row * g.cell - scrollY, id: blocks[row * g.cols]!.id });
  }
  return marks;
}

export interface Palette {
  keys: string[];
  swatches: Swatch[];
  /** one palette index per block */
  index: Uint8Array;
}

export function blockPalette(blocks: MemoryBlockInfo[], by: ColourBy): Palette {
  const keys: string[] = [];
  const swatches: Swatch[] = [];
  const slot = new Map<string, number>();
  const index = new Uint8Array(blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    const key = by === 'state' ? b.state : by === 'zone' ? blockZone(b) : `node ${b.node}`;
    let s = slot.get(key);
    if (s === undefined) {
      s = keys.length;
      slot.set(key, s);
      keys.push(key);
      const table = by === 'state' ? STATE_SWATCHES : ZONE_SWATCHES;
      swatches.push(by === 'node' ? nodeSwatch(b.node) : (table[key] ?? OTHER));
    }
    index[i] = s;
  }
  return { keys, swatches, index };
}

/** Each swatch's cell as pixel rows (`size` by `size`, ImageData order), copied whole into a frame. */
export function cellTiles(swatches: Swatch[], size: number): Uint32Array[][] {
  return swatches.map((sw) => {
    const base = rgba(sw.colour);
    const alt = rgba(shade(sw.colour));
    return Array.from({ length: size }, (_, y) =>
      Uint32Array.from({ length: size }, (_, x) => (patternHit(sw.pattern, x, y) ? alt : base)),
    );
  });
}
