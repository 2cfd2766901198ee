// The memory map at the size people boot (issue 12): nvdimm-1g-labels, 2 GiB
// of RAM and a 1 GiB NVDIMM at 4 GiB, at the default zoom in a 1600x1000 and
// a 1280x800 window, light and dark. What the canvas draws is checked through
// the list it keeps beside itself for screen readers; screenshots land in
// test-artifacts/map-*.png to be looked at.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, openLab, type LabPage } from './lab-page';

let lab: LabPage;
let page: Page;

beforeAll(async () => {
  lab = await openLab();
  page = lab.page;
});
afterAll(() => lab?.close());

const shot = (name: string) => lab.shot(name);
const map = () => page.getByTestId('memory-map');
/** The list items of one kind, as their data attributes and text. */
const drawn = (kind: string): Promise<Record<string, string>[]> =>
  page
    .getByTestId('map-labels')
    .locator(`li[data-kind="${kind}"]`)
    .evaluateAll((els) => els.map((e) => ({ ...(e as HTMLElement).dataset, text: (e.textContent ?? '').trim() })));

async function useTheme(theme: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme)
    await page.keyboard.press('Control+Shift+L');
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

describe('memory map of a 2 GiB guest with one NVDIMM', () => {
  it('boots nvdimm-1g-labels', async () => {
    await page.goto(lab.server.url);
    await page.getByTestId('profile-nvdimm-1g-labels').click();
    await page.getByTestId('boot').click();
    await page.locator('[data-testid="vm-phase"][data-phase="ready"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('map-labels').locator('li').first().waitFor({ state: 'attached', timeout: 60_000 });
  });

  for (const [w, h] of [
    [1600, 1000],
    [1280, 800],
  ] as const) {
    for (const theme of ['light', 'dark'] as const) {
      it(`labels every range, shows gaps and the hole, keeps the axis inside at ${w}x${h}, ${theme}`, async () => {
        await page.setViewportSize({ width: w, height: h });
        await useTheme(theme);
        await page.mouse.move(0, 0);
        // the layout settles after a resize: the list follows the canvas's width
        await page.waitForFunction(
          () => {
            const ul = document.querySelector<HTMLElement>('[data-testid="map-labels"]');
            const canvas = document.querySelector('[data-testid="address-map"] canvas');
            return !!ul && !!canvas && Number(ul.dataset.width) === canvas.clientWidth;
          },
          undefined,
          { timeout: 10_000 },
        );
        const width = Number(await page.getByTestId('map-labels').getAttribute('data-width'));
        expect(width).toBeGreaterThan(400);

        const ranges = await drawn('range');
        expect(ranges.map((r) => r.name)).toEqual([
          'Reserved',
          'System RAM',
          'Reserved',
          'System RAM',
          'Reserved',
          'PCI Bus 0000:00',
          'IOAPIC 0',
          'HPET 0',
          'Local APIC',
          'Reserved',
          'Persistent Memory',
          'PCI Bus 0000:00',
          'Reserved',
        ]);
        for (const r of ranges) expect(r.label!.length, r.name).toBeGreaterThan(1);

        const gaps = await drawn('gap');
        expect(gaps.length).toBeGreaterThanOrEqual(4);
        for (const g of gaps) expect(Number(g.x1) - Number(g.x0)).toBeGreaterThanOrEqual(8);

        const holes = await drawn('hole');
        expect(holes).toHaveLength(1);
        expect(holes[0]).toMatchObject({ start: '0x7ffdf000', end: '0xffffffff' });
        expect(holes[0]!.label).toMatch(/2G$/);

        const ticks = (await drawn('tick')).map((t) => ({ x0: Number(t.x0), x1: Number(t.x1), text: t.text }));
        expect(ticks[0]).toMatchObject({ text: '0x0', x0: 0 });
        expect(ticks[ticks.length - 1]!.text).toBe('0x10000000000');
        expect(ticks[ticks.length - 1]!.x1).toBeLessThanOrEqual(width);
        for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.x0).toBeGreaterThan(ticks[i - 1]!.x1);
        expect(ticks.map((t) => t.text)).toContain('0x100000000');

        await shot(`map-${w}-${theme}`);
        await map().screenshot({ path: join(ARTIFACTS, `map-${w}-${theme}-panel.png`) });
      });
    }
  }

  it('names a memory block on hover and rules the grid with block ids', async () => {
    const area = page.getByTestId('block-grid').locator('.area');
    const left = Number(await area.getAttribute('data-left'));
    const cell = Number(await area.getAttribute('data-cell'));
    const cols = Number(await area.getAttribute('data-cols'));
    expect(left).toBeGreaterThan(0); // the ruler's gutter
    expect(cell).toBeGreaterThanOrEqual(20); // 16 blocks are large enough to carry their ids
    const canvas = area.locator('canvas');
    await canvas.hover({ position: { x: left + cell / 2, y: cell / 2 } });
    expect(await page.getByTestId('block-tip').textContent()).toMatch(
      /^\s*memory0: online, \w+, node 0, 0x0–0x7ffffff\s*$/,
    );
    const last = 15;
    await canvas.hover({
      position: { x: left + (last % cols) * cell + cell / 2, y: Math.floor(last / cols) * cell + cell / 2 },
    });
    expect(await page.getByTestId('block-tip').textContent()).toContain('memory15: online, DMA32, node 0, 0x78000000');
    await page.getByTestId('block-grid').getByRole('combobox').selectOption('zone');
    await shot('map-1280-dark-block-tip');
  });

  it('selects namespace0.0 in one click on its row, or two from its parent', async () => {
    await page.mouse.move(0, 0);
    const canvas = page.getByTestId('address-map').locator('canvas');
    const pmem = (await drawn('range')).find((r) => r.name === 'Persistent Memory')!;
    const x = (Number(pmem.x0) + Number(pmem.x1)) / 2;
    // the child row under the top row (24 px high, rows of 14 px)
    await canvas.click({ position: { x, y: 24 + 7 } });
    expect(await page.getByTestId('map-selected').textContent()).toContain('namespace0.0 · 100000000–13fffffff');

    await page.getByTestId('block-grid').getByRole('combobox').selectOption('state');
    await canvas.click({ position: { x, y: 10 } });
    expect(await page.getByTestId('map-selected').textContent()).toContain('Persistent Memory');
    await page.getByTestId('map-child').filter({ hasText: 'namespace0.0' }).click();
    expect(await page.getByTestId('map-selected').textContent()).toContain('namespace0.0');
    expect(await page.getByTestId('subsection-strip').textContent()).toContain('section 32');
    await useTheme('light');
    await shot('map-1280-light-namespace');
    // zoomed to the selection, the labels have room for the full names
    await page.getByTestId('map-selection').getByRole('button', { name: 'zoom to' }).click();
    await expect
      .poll(async () => (await drawn('range')).find((r) => r.name === 'Persistent Memory')?.label)
      .toBe('Persistent Memory');
    await shot('map-1280-light-zoomed');
  });
});
