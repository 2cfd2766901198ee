// The sub-section strip of a virtio-mem memory block: its device blocks, plugged or not, all with a memmap.
import { describe, expect, it } from 'vitest';
import { stripOf } from '../../../src-renderer/views/memory/subsection-strip';

describe('sub-section strip of a virtio-mem block', () => {
  it("tells a virtio-mem block's plugged device blocks from its unplugged ones", () => {
    // block 32 after virtio-mem-resize's shrink to 100 MiB: 50 device blocks plugged, 14 not
    const base = 32 * 2 ** 27;
    const cells = stripOf(32, [
      { start: base, end: base + 100 * 2 ** 20 - 1, owner: 'memory32', kind: 'ram' },
      {
        start: base + 100 * 2 ** 20,
        end: base + 2 ** 27 - 1,
        owner: 'virtio0 (unplugged)',
        kind: 'virtio-mem-unplugged',
      },
    ]);
    expect(cells.every((c) => c.active)).toBe(true);
    expect(cells.filter((c) => c.kind === 'virtio-mem-unplugged').map((c) => c.index)).toEqual(
      Array.from({ length: 14 }, (_, i) => 50 + i),
    );
  });
});
