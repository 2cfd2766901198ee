// memmap_on_memory in the block grid (issue 13): boot the memmap-on-memory
// profile, plug a 128 MiB DIMM (one block, so it holds its own memmap) and a
// 256 MiB one (which does not), online the small one. The model's side of the
// grid marks block 34 alone, on the canvas, on hover and in the legend; the
// guest's side marks nothing, as a 6.1 guest shows nothing per block, and the
// steps agree with the guest in every dimension (MemTotal +126 MiB). Real TCG
// guest, Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootFromGallery, entry, isFull, openLab, type LabPage } from './lab-page';

let lab: LabPage;

beforeAll(async () => {
  lab = await openLab({ width: 1280, height: 800 });
  await lab.page.goto(lab.server.url);
  await bootFromGallery(lab.page, 'memmap-on-memory');
});
afterAll(() => lab?.close());

async function act(step: object): Promise<void> {
  const info = (await lab.backend.call('lab.info', {})) as { ok: true; value: { sessions: { id: string }[] } };
  await lab.backend.call('session.act', { session: info.value.sessions.at(-1)!.id, step });
}
const dimm = async (id: string, size: number) => {
  await act({ qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: `hp${id}`, size } } });
  await act({ qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id: `dimm${id}`, memdev: `hp${id}` } } });
};

const grid = () => lab.page.getByTestId('block-grid');
const area = () => grid().locator('.area');
/** The canvas position of a cell's top-left pixel, by block index. */
async function cellAt(i: number): Promise<{ x: number; y: number; cell: number }> {
  const [left, cell, cols] = await Promise.all(
    ['data-left', 'data-cell', 'data-cols'].map(async (a) => Number(await area().getAttribute(a))),
  );
  return { x: left! + (i % cols!) * cell!, y: Math.floor(i / cols!) * cell!, cell: cell! };
}
const pixel = (x: number, y: number) =>
  area()
    .locator('canvas')
    .evaluate(
      (c, [px, py]) => [...(c as HTMLCanvasElement).getContext('2d')!.getImageData(px!, py!, 1, 1).data].join(','),
      [x, y],
    );

describe('memmap_on_memory in the block grid', () => {
  it('plugs a one-block DIMM and a two-block one; the guest and the model agree', async () => {
    await dimm('1', 128 * 2 ** 20);
    await act({ run: 'echo online_movable > /sys/devices/system/memory/memory34/state' });
    await dimm('2', 256 * 2 ** 20);
    await entry(lab.page, 6);
    expect(isFull(await lab.page.getByTestId('fidelity').textContent())).toBe(true);
  });

  it("marks block 34 alone on the model's side: corner, hover and legend", async () => {
    const { page } = lab;
    await page.getByTestId('memory-map').locator('label', { hasText: 'side' }).locator('select').selectOption('model');
    // blocks 0-15, then 34, 35, 36
    await expect.poll(() => area().getAttribute('data-memmap-inside')).toBe('34');
    const legend = page.getByTestId('memmap-legend');
    expect(await legend.textContent()).toContain('memmap inside');
    expect(await legend.getAttribute('title')).toMatch(/shows nothing per block.*MemTotal/);
    const [b15, b34, b35] = await Promise.all([15, 16, 17].map(cellAt));
    // blocks 15 and 34 are both online, coloured by state alike: block 34's corner is in the mark's colour
    const mark = await pixel(b34!.x + 1, b34!.y + 1);
    expect(['17,17,17,255', '255,255,255,255']).toContain(mark);
    expect(await pixel(b15!.x + 1, b15!.y + 1)).not.toBe(mark);
    expect(await pixel(b15!.x + 1, b15!.y + 1)).toBe(await pixel(b34!.x + b34!.cell - 3, b34!.y + b34!.cell - 3));
    const canvas = area().locator('canvas');
    await canvas.hover({ position: { x: b34!.x + b34!.cell / 2, y: b34!.y + b34!.cell / 2 } });
    expect(await page.getByTestId('block-tip').textContent()).toContain(
      'memory34: online, Movable, node 0, 0x110000000–0x117ffffff, memmap inside: 2 MiB',
    );
    await canvas.hover({ position: { x: b35!.x + b35!.cell / 2, y: b35!.y + b35!.cell / 2 } });
    expect(await page.getByTestId('block-tip').textContent()).not.toContain('memmap');
    await lab.shot('memmap-on-memory-model');
  });

  it("marks nothing on the guest's side", async () => {
    const { page } = lab;
    await page.getByTestId('memory-map').locator('label', { hasText: 'side' }).locator('select').selectOption('real');
    await expect.poll(() => area().getAttribute('data-memmap-inside')).toBe('');
    expect(await page.getByTestId('memmap-legend').count()).toBe(0);
    const b34 = await cellAt(16);
    await area()
      .locator('canvas')
      .hover({ position: { x: b34.x + b34.cell / 2, y: b34.y + b34.cell / 2 } });
    expect(await page.getByTestId('block-tip').textContent()).toContain('memory34: online, Movable');
    expect(await page.getByTestId('block-tip').textContent()).not.toContain('memmap');
  });
});
