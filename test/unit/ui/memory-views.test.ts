// The memory map's geometry: address scales, the block grid's layout and
// colours, a section's sub-sections, and the tree's virtual window.
import { describe, expect, it } from 'vitest';
import { innermostAt, logScale, piecewiseScale } from '../../../src-renderer/views/memory/scale';
import { blockAt, blockPalette, blockZone, gridGeometry } from '../../../src-renderer/views/memory/grid-layout';
import { stripOf } from '../../../src-renderer/views/memory/subsection-strip';
import { scrollToRow, virtualWindow } from '../../../src-renderer/views/tree/virtual';
import { parseIomem } from '../../../src-shared/snapshot/iomem';

const { lines } = parseIomem(`00000000-00000fff : Reserved
00001000-0009fbff : System RAM
00100000-7ffdffff : System RAM
100000000-13fffffff : Persistent Memory
  108000000-13fffffff : dax0.0
    108000000-13fffffff : System RAM (kmem)
10000000000-1ffffffffff : PCI Bus 0000:00
`);

describe('piecewise address scale', () => {
  const s = piecewiseScale(lines, 1000, 6);
  it('maps the ends of the space to the ends of the bar and is monotonic', () => {
    expect(s.toX(0)).toBe(0);
    expect(s.toX(s.top)).toBe(1000);
    const xs = [0, 0x1000, 0x100000, 0x100000000, 0x108000000, 0x10000000000].map((a) => s.toX(a));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('gives a 4 KiB range at least the minimum width beside a terabyte window', () => {
    expect(s.toX(0x1000) - s.toX(0)).toBeGreaterThanOrEqual(6);
    const seg = s.segments.find((g) => g.start === 0x10000000000)!;
    expect(seg.x1 - seg.x0).toBeLessThan(200);
  });

  it('inverts: the address under a pixel lies in the segment drawn there', () => {
    for (const x of [3, 100, 500, 990]) {
      const a = s.toAddr(x);
      expect(Math.abs(s.toX(a) - x)).toBeLessThan(1);
    }
  });

  it('finds the innermost resource at an address', () => {
    expect(innermostAt(lines, 0x110000000)?.name).toBe('System RAM (kmem)');
    expect(innermostAt(lines, 0x100000000)?.name).toBe('Persistent Memory');
    expect(innermostAt(lines, 0x90000000)).toBeUndefined();
  });
});

describe('log address scale', () => {
  it('puts 1 MiB near the middle of a 1 TiB space', () => {
    const s = logScale([{ depth: 0, start: 0, end: 2 ** 40 - 1, name: 'x' }], 400);
    expect(s.toX(2 ** 20)).toBeCloseTo(200, 0);
    expect(s.toAddr(s.toX(2 ** 30))).toBeGreaterThan(2 ** 30 * 0.99);
  });
});

describe('memory-block grid', () => {
  const blocks = Array.from({ length: 131072 }, (_, id) => ({
    id,
    state: id < 16 ? 'online' : 'offline',
    zones: id < 8 ? 'Normal' : id < 16 ? 'Movable' : 'Normal Movable',
    node: id < 16 ? 0 : 1,
  }));

  it('lays 131072 blocks out in rows and finds the block under a pixel', () => {
    const g = gridGeometry(blocks.length, 1000, 4);
    expect(g.cols).toBe(250);
    expect(g.rows).toBe(525);
    expect(blockAt(g, blocks.length, 0, 0, 0)).toBe(0);
    expect(blockAt(g, blocks.length, 7, 5, 0)).toBe(251);
    expect(blockAt(g, blocks.length, 7, 5, 400)).toBe(101 * 250 + 1);
    expect(blockAt(g, blocks.length, 1001, 0, 0)).toBe(-1);
    expect(blockAt(g, blocks.length, 999, g.height - 1, 0)).toBe(-1); // past the last block in the last row
  });

  it('colours by state, zone (only online blocks have one) and node', () => {
    const byState = blockPalette(blocks, 'state');
    expect(byState.keys).toEqual(['online', 'offline']);
    expect(byState.index[15]).toBe(0);
    expect(byState.index[16]).toBe(1);
    expect(blockPalette(blocks, 'zone').keys).toEqual(['Normal', 'Movable', 'none']);
    expect(blockZone({ id: 1, state: 'offline', zones: 'Normal Movable', node: 0 })).toBe('none');
    expect(blockPalette(blocks, 'node').keys).toEqual(['node 0', 'node 1']);
  });
});

describe('sub-section strip', () => {
  it('shows which 2 MiB sub-sections of a section are mapped and by whom', () => {
    // section 33 (0x108000000): namespace0.0 ends 18 MiB in, namespace0.1 starts at 64 MiB
    const base = 33 * 2 ** 27;
    const cells = stripOf(33, [
      { start: base - 2 ** 27, end: base + 18 * 2 ** 20 - 1, owner: 'namespace0.0', kind: 'zone-device' },
      { start: base + 64 * 2 ** 20, end: base + 2 ** 27 - 1, owner: 'namespace0.1', kind: 'zone-device' },
    ]);
    expect(cells).toHaveLength(64);
    expect(cells.filter((c) => c.owner === 'namespace0.0').map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(cells.filter((c) => !c.active).map((c) => c.index)).toEqual(Array.from({ length: 23 }, (_, i) => 9 + i));
    expect(cells[32]).toMatchObject({ active: true, owner: 'namespace0.1', start: base + 64 * 2 ** 20 });
  });
});

describe('virtual window', () => {
  it('renders only the rows in view plus overscan', () => {
    expect(virtualWindow(0, 400, 18, 10_000, 8)).toEqual({ first: 0, last: 31, offset: 0, total: 180_000 });
    const w = virtualWindow(90_000, 400, 18, 10_000, 8);
    expect(w.first).toBe(4992);
    expect(w.last - w.first).toBeLessThan(40);
    expect(virtualWindow(179_990, 400, 18, 10_000).last).toBe(10_000);
  });

  it('scrolls just enough to show a selected row', () => {
    expect(scrollToRow(5, 0, 400, 18)).toBe(0);
    expect(scrollToRow(30, 0, 400, 18)).toBe(31 * 18 - 400);
    expect(scrollToRow(2, 100, 400, 18)).toBe(36);
  });
});
