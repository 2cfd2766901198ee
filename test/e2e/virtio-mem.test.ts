// virtio-mem in the app (issue 13): boot the virtio-mem profile (256 MiB
// plugged at boot), shrink the device to 100 MiB from the action panel's
// virtio-mem row, and see block 32's section in the memory map: all 64
// sub-sections present, the 14 device blocks no longer plugged shown as the
// device's. The step agrees with the guest in every dimension. Real TCG guest,
// Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootFromGallery, entry, isFull, openLab, type LabPage } from './lab-page';

let lab: LabPage;

beforeAll(async () => {
  lab = await openLab({ width: 1280, height: 800 });
  await lab.page.goto(lab.server.url);
  await bootFromGallery(lab.page, 'virtio-mem');
});
afterAll(() => lab?.close());

const area = () => lab.page.getByTestId('block-grid').locator('.area');

describe('virtio-mem in the app', () => {
  it('shrinks the device from the action panel; the guest and the model agree', async () => {
    const { page } = lab;
    await page.getByTestId('action-panel').getByRole('tab', { name: 'DIMM (QMP)' }).click();
    const row = page.getByTestId('virtio-mem-row');
    expect(await row.locator('select').textContent()).toContain('vm0: 256M of 1G plugged, 256M requested');
    await row.getByLabel('requested size').fill('100M');
    await row.getByRole('button', { name: 'qom-set' }).click();
    const e = await entry(page, 2);
    // the row follows the guest: QEMU's sizes after the step, the device still picked
    await expect.poll(() => row.locator('select').inputValue()).toBe('vm0');
    await expect
      .poll(() => row.locator('option:checked').textContent())
      .toBe('vm0: 100M of 1G plugged, 100M requested');
    expect(await e.textContent()).toContain('requested-size');
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
  });

  it("shows block 32's plugged and unplugged device blocks in its section", async () => {
    const { page } = lab;
    await page.getByTestId('memory-map').locator('label', { hasText: 'side' }).locator('select').selectOption('model');
    // blocks 0-15, then 32: the 17th cell
    const [left = 0, cell = 0, cols = 1] = await Promise.all(
      ['data-left', 'data-cell', 'data-cols'].map(async (a) => Number(await area().getAttribute(a))),
    );
    const i = 16;
    await area()
      .locator('canvas')
      .click({ position: { x: left + (i % cols) * cell + cell / 2, y: Math.floor(i / cols) * cell + cell / 2 } });
    const strip = page.getByTestId('subsection-strip');
    expect(await strip.textContent()).toContain('section 32 (0x100000000–0x107ffffff): 64/64 sub-sections active');
    expect(await strip.textContent()).toContain('virtio0 (unplugged): device blocks not plugged');
    expect(await strip.textContent()).toContain('memory32 (System RAM block)');
    await lab.shot('virtio-mem-strip');
  });
});
