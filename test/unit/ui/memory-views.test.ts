// The memory map's geometry: address scales, what the map writes on itself
// (labels, gaps, holes, axis ticks), the block grid's layout, ruler and
// colours, a section's sub-sections, and the tree's virtual window.
import { describe, expect, it } from 'vitest';
import { family, innermostAt, logScale, piecewiseScale, topRanges } from '../../../src-renderer/views/memory/scale';
import {
  blockAt,
  blockPalette,
  blockTip,
  blockZone,
  cellTiles,
  fitCell,
  gridGeometry,
  rowRuler,
} from '../../../src-renderer/views/memory/grid-layout';
import {
  approxSize,
  axisTicks,
  labelCandidates,
  memoryHoles,
  minWidthFor,
  segmentLabels,
} from '../../../src-renderer/views/memory/map-labels';
import { luminance, patternHit, STATE_SWATCHES, ZONE_SWATCHES } from '../../../src-renderer/views/memory/colours';
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

  it('gives each range its own minimum, shrunk in proportion when they overflow the bar', () => {
    const min = (r: { gap: boolean }) => (r.gap ? 10 : 30);
    const fit = piecewiseScale(lines, 1000, min).segments;
    for (const g of fit) expect(g.x1 - g.x0).toBeGreaterThanOrEqual(min(g));
    expect(fit.map((g) => g.gap)).toEqual([false, false, true, false, true, false, true, false]);
    const over = piecewiseScale(lines, 100, min).segments;
    expect(over[over.length - 1]!.x1).toBeCloseTo(100);
    expect(over[0]!.x1 - over[0]!.x0).toBeCloseTo(100 * (30 / 180)); // 5 ranges and 3 gaps want 180 px
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

// nvdimm-1g-labels as the guest prints it: 2 GiB RAM, a 1 GiB NVDIMM at 4 GiB
const nvdimm = parseIomem(`00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-000fffff : Reserved
  000a0000-000bffff : PCI Bus 0000:00
00100000-7ffdefff : System RAM
7ffdf000-7fffffff : Reserved
80000000-febfffff : PCI Bus 0000:00
fec00000-fec003ff : IOAPIC 0
fed00000-fed003ff : HPET 0
  fed00000-fed003ff : PNP0103:00
fee00000-fee00fff : Local APIC
fffc0000-ffffffff : Reserved
100000000-13fffffff : Persistent Memory
  100000000-13fffffff : namespace0.0
380000000-3ffffffff : PCI Bus 0000:00
fd00000000-ffffffffff : Reserved
`).lines;
/** DejaVu Sans at 11 px is about 6.5 px a character; the tests need widths, not a font. */
const measure = (t: string) => t.length * 6.5;
const mins = (w: number) =>
  piecewiseScale(nvdimm, w, (r) =>
    r.gap ? 10 : minWidthFor(nvdimm.find((l) => l.depth === 0 && l.start === r.start)!.name, measure),
  );

describe('map labels', () => {
  it('shortens the names a kernel developer reads at a glance, down to an initial', () => {
    expect(labelCandidates('Persistent Memory')).toEqual(['Persistent Memory', 'PMEM', 'P']);
    expect(labelCandidates('PCI Bus 0000:00')).toEqual(['PCI Bus 0000:00', 'PCI', 'P']);
    expect(labelCandidates('Reserved')).toEqual(['Reserved', 'Rsvd', 'R']);
    expect(labelCandidates('namespace0.0')).toEqual(['namespace0.0', 'ns0.0', 'n']);
    expect(labelCandidates('PNP0103:00')).toEqual(['PNP0103:00', 'P']);
  });

  it('labels every top-level range of a 2 GiB guest with an NVDIMM at 480 px, and keeps the gaps', () => {
    const labels = segmentLabels(mins(480).segments, nvdimm, measure);
    const ranges = labels.filter((s) => !s.gap);
    expect(ranges).toHaveLength(13);
    for (const r of ranges) expect(r.label.length, r.name).toBeGreaterThan(1);
    expect(ranges.every((r) => !r.shared)).toBe(true);
    expect(ranges.find((r) => r.start === 0x100000000)!.label).toBe('PMEM');
    // the gaps: after IOAPIC, HPET and the local APIC, 4 GiB..14 GiB, and 16 GiB..1012 GiB
    const gaps = labels.filter((s) => s.gap);
    expect(gaps.map((g) => g.start)).toEqual([0xfec00400, 0xfed00400, 0xfee01000, 0x140000000, 0x400000000]);
    for (const g of gaps) expect(g.x1 - g.x0).toBeGreaterThanOrEqual(10);
    // a roomier bar writes longer names
    expect(ranges.find((r) => r.start === 0x100000)!.label).toBe('RAM');
    const wide = segmentLabels(mins(1400).segments, nvdimm, measure);
    expect(wide.find((r) => r.start === 0x100000)!.label).toBe('System RAM');
  });

  it('makes ranges too narrow for their own labels share one', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      depth: 0,
      start: i * 0x1000,
      end: i * 0x1000 + 0xfff,
      name: 'Reserved',
    }));
    const labels = segmentLabels(piecewiseScale(many, 200, 5).segments, many, measure);
    expect(labels.every((s) => s.shared && !s.label)).toBe(true);
    expect(new Set(labels.map((s) => s.shared)).size).toBe(1);
    expect(labels[0]!.shared!.label).toBe('40 ranges');
  });

  it('finds the hole between RAM and persistent memory, and no hole in the ROM area', () => {
    expect(memoryHoles(nvdimm)).toEqual([{ start: 0x7ffdf000, end: 0xffffffff, gap: true }]);
    expect(approxSize(0xffffffff - 0x7ffdf000 + 1)).toBe('~2G');
    expect(approxSize(0x240000000)).toBe('9G');
    expect(approxSize(0xffc00)).toBe('1023K');
  });

  it('picks axis ticks inside the canvas, apart, the roundest addresses first', () => {
    const s = mins(480);
    const addrs = [0, s.top, ...topRanges(nvdimm).map((r) => r.start)];
    const mono = (t: string) => t.length * 6;
    const ticks = axisTicks(addrs, (a) => s.toX(a), 480, mono);
    expect(ticks[0]).toMatchObject({ addr: 0, x0: 0 });
    expect(ticks[ticks.length - 1]).toMatchObject({ addr: 2 ** 40, x1: 480 });
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.x0).toBeGreaterThanOrEqual(ticks[i - 1]!.x1 + 8);
    expect(ticks.map((t) => t.addr)).toContain(0x100000000);
    expect(ticks.map((t) => t.addr)).not.toContain(0x9fc00);
    // zoomed: the ends are those in view, the left one a rounding error off the canvas; 0 and 1000 are not
    const shifted = axisTicks([0, 5, 100, 480, 1000], (a) => a - 5.4, 480, mono);
    expect(shifted.map((t) => `${t.addr}@${t.x.toFixed(1)}`)).toEqual(['5@0.0', '100@94.6', '480@474.6']);
  });

  it("steps from a namespace to its region's resource and back", () => {
    const pmem = nvdimm.find((l) => l.name === 'Persistent Memory')!;
    expect(family(nvdimm, pmem).children.map((c) => c.name)).toEqual(['namespace0.0']);
    expect(family(nvdimm, family(nvdimm, pmem).children[0]!).parent).toBe(pmem);
    expect(family(nvdimm, nvdimm[0]!)).toEqual({ children: [] });
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

  it('names a block, its state, zone, node and range on hover', () => {
    expect(blockTip({ id: 32, state: 'online', zones: 'Movable', node: 0 }, 2 ** 27)).toBe(
      'memory32: online, Movable, node 0, 0x100000000–0x107ffffff',
    );
    expect(blockTip({ id: 40, state: 'offline', zones: 'Normal Movable', node: 1 }, 2 ** 27)).toBe(
      'memory40: offline, zones Normal Movable, node 1, 0x140000000–0x147ffffff',
    );
  });

  it('sizes cells so a small guest shows every block large, and rules rows with their first block id', () => {
    expect(fitCell(16, 300, 100, 20)).toBe(32);
    expect(fitCell(131072, 1000, 400, 40)).toBe(4);
    const g = gridGeometry(blocks.length, 1000, 4, 40);
    expect(g.cols).toBe(240);
    expect(blockAt(g, blocks.length, 39, 0, 0)).toBe(-1); // the gutter
    expect(blockAt(g, blocks.length, 40, 0, 0)).toBe(0);
    const marks = rowRuler(g, blocks, 10, 40);
    expect(marks.map((m) => m.id)).toEqual([3 * 240, 6 * 240, 9 * 240, 12 * 240]);
    expect(marks[0]!.y).toBe(3 * 4 - 10);
    // ids skip where there is no memory: the ruler reads them from the blocks
    const sparse = [0, 1, 2, 32, 33, 34].map((id) => ({ ...blocks[0]!, id }));
    expect(rowRuler(gridGeometry(6, 3 * 20 + 10, 20, 10), sparse, 0, 100).map((m) => m.id)).toEqual([0, 32]);
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

describe('zone and state colours', () => {
  // what protanopes and deuteranopes see (Viénot, Brettel and Mollon 1999, on linear RGB)
  const SIMS = [
    [1, 0, 0, 0, 1, 0, 0, 0, 1],
    [0.11238, 0.88762, 0, 0.11238, 0.88762, 0, 0.00401, -0.00401, 1],
    [0.29275, 0.70725, 0, 0.29275, 0.70725, 0, -0.02234, 0.02234, 1],
  ];
  const seen = (hex: string, m: number[]) => {
    const n = parseInt(hex.slice(1), 16);
    const lin = [n >> 16, (n >> 8) & 0xff, n & 0xff].map((c) => ((c / 255 + 0.055) / 1.055) ** 2.4);
    return [0, 1, 2].map(
      (r) => Math.max(0, m[r * 3]! * lin[0]! + m[r * 3 + 1]! * lin[1]! + m[r * 3 + 2]! * lin[2]!) ** (1 / 2.4),
    );
  };
  const apart = (a: string, b: string) =>
    Math.min(...SIMS.map((m) => Math.hypot(...seen(a, m).map((v, i) => v - seen(b, m)[i]!))));

  it('keeps every zone apart from every other for protanopes and deuteranopes (the old greens were not)', () => {
    expect(apart('#8fbf5a', '#4caf70')).toBeLessThan(0.2);
    const zones = Object.values(ZONE_SWATCHES).map((s) => s.colour);
    for (const a of zones) for (const b of zones) if (a !== b) expect(apart(a, b), `${a} ${b}`).toBeGreaterThan(0.2);
    const states = Object.values(STATE_SWATCHES).map((s) => s.colour);
    for (const a of states) for (const b of states) if (a !== b) expect(apart(a, b)).toBeGreaterThan(0.2);
  });

  it('adds a pattern as a second cue, drawn into the cells', () => {
    const patterns = Object.values(ZONE_SWATCHES).map((s) => s.pattern);
    expect(new Set(patterns.filter((p) => p !== 'solid')).size).toBe(3);
    const [stripes, solid] = cellTiles([ZONE_SWATCHES.Movable!, ZONE_SWATCHES.Normal!], 7);
    expect(new Set(stripes!.flatMap((row) => [...row])).size).toBe(2);
    expect(new Set(solid!.flatMap((row) => [...row])).size).toBe(1);
    expect(patternHit('dots', 1, 1)).toBe(true);
    expect(luminance('#ffffff')).toBeCloseTo(1);
  });
});
