// The memory-block grid's geometry: blocks in id order, `cols` per row, square
// cells of `cell` pixels, scrolled by whole pixels. Colours are computed once
// per data change into one byte per block, so a frame is a fill loop.
import type { MemoryBlockInfo } from '../../../src-shared/snapshot/types';
import { NODE_COLOURS, STATE_COLOURS, ZONE_COLOURS } from './colours';

export type ColourBy = 'state' | 'zone' | 'node';

export interface GridGeometry {
  cols: number;
  rows: number;
  cell: number;
  height: number;
}

export function gridGeometry(count: number, width: number, cell: number): GridGeometry {
  const cols = Math.max(1, Math.floor(width / cell));
  const rows = Math.ceil(count / cols);
  return { cols, rows, cell, height: rows * cell };
}

/** The block index under a pixel of the canvas (with the grid scrolled by `scrollY`), or -1. */
export function blockAt(g: GridGeometry, count: number, x: number, y: number, scrollY: number): number {
  if (x < 0 || y < 0) return -1;
  const col = Math.floor(x / g.cell);
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

export interface Palette {
  keys: string[];
  colours: string[];
  /** one palette index per block */
  index: Uint8Array;
}

export function blockPalette(blocks: MemoryBlockInfo[], by: ColourBy): Palette {
  const keys: string[] = [];
  const colours: string[] = [];
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
      colours.push(
        by === 'state'
          ? (STATE_COLOURS[key] ?? '#999999')
          : by === 'zone'
            ? (ZONE_COLOURS[key] ?? '#999999')
            : NODE_COLOURS[Math.max(0, b.node) % NODE_COLOURS.length]!,
      );
    }
    index[i] = s;
  }
  return { keys, colours, index };
}
