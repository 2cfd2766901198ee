// The block grid's memmap_on_memory mark: a block whose own first pages hold its
// memmap (the model's nrVmemmapPages) says so on hover and gets a corner mark;
// the others, and every block of a guest (which shows nothing per block), do not.
import { describe, expect, it } from 'vitest';
import { blockTip, gridGeometry, MARK_MIN_SIDE, memmapMarks } from '../../../src-renderer/views/memory/grid-layout';

const block = (id: number, nrVmemmapPages?: number) => ({
  id,
  state: 'online',
  zones: 'Movable',
  node: 0,
  ...(nrVmemmapPages ? { nrVmemmapPages } : {}),
});

describe('memmap inside a block', () => {
  it('says on hover how much of the block its memmap takes', () => {
    expect(blockTip(block(34, 512), 2 ** 27)).toBe(
      'memory34: online, Movable, node 0, 0x110000000–0x117ffffff, memmap inside: 2 MiB',
    );
    expect(blockTip(block(35), 2 ** 27)).not.toContain('memmap');
  });

  it('marks the corner of each visible cell whose block holds its memmap, none in cells too small', () => {
    const blocks = [0, 1, 2, 32, 33, 34, 35, 36].map((id) => block(id, id === 34 ? 512 : undefined));
    const g = gridGeometry(blocks.length, 10 + 4 * 20, 20, 10); // 4 columns of 20 px after a 10 px ruler
    const { marks, size } = memmapMarks(g, blocks, 19, 0, 100);
    expect(marks).toEqual([{ i: 5, x: 10 + 20, y: 20 }]);
    expect(size).toBe(6);
    // scrolled past its row, or in cells too small for a mark beside the colour
    expect(memmapMarks(g, blocks, 19, 40, 100).marks).toEqual([]);
    expect(memmapMarks(g, blocks, MARK_MIN_SIDE - 1, 0, 100).marks).toEqual([]);
  });
});
