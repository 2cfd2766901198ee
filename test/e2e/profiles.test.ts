// The profile gallery and editor in browser mode, without a guest: errors sit
// beside their fields in sizes people write, an NVDIMM size QEMU or the guest
// would not take whole gets its reason or a notice, the last profile card can
// be reached, the page loads nothing that is missing (the icon included), and
// the kernel field lists the lab's presets with their state and writes the one
// picked into the YAML (a real compile is never started here).
// Screenshots land in test-artifacts/profiles-*.png to be looked at.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Events, KernelPreset } from '../../src-shared/api/contract';
import { openLab, type LabPage } from './lab-page';

let lab: LabPage;
let page: Page;
const failedLoads: string[] = [];

beforeAll(async () => {
  lab = await openLab();
  page = lab.page;
  // Chromium reports a failed load (the favicon's too) only on the console
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().startsWith('Failed to load resource')) failedLoads.push(m.text());
  });
  await page.goto(lab.server.url);
});
afterAll(() => lab?.close());

const shot = (name: string) => lab.shot(`profiles-${name}`);

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme)
    await page.getByRole('button', { name: 'toggle theme' }).click();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

const editor = () => page.getByTestId('profile-editor');
const nvdimmSize = () => editor().getByLabel('size', { exact: true }).first();
const problem = (kind: 'error' | 'notice', field: string) =>
  editor().locator(`[data-testid="field-${kind}"][data-field="${field}"]`);

/** Types an NVDIMM size into the form and waits for the check to answer for it. */
async function typeNvdimmSize(value: string, expected: Locator): Promise<string> {
  await nvdimmSize().fill(value);
  await expected.waitFor();
  return (await expected.textContent())!.replace(/\s+/g, ' ').trim();
}

/** The problem is drawn just under its field's row, not elsewhere in the dialog. */
async function expectUnder(message: Locator, input: Locator): Promise<void> {
  const m = (await message.boundingBox())!;
  const i = (await input.boundingBox())!;
  expect(m.y).toBeGreaterThanOrEqual(i.y + i.height);
  expect(m.y - (i.y + i.height)).toBeLessThan(48);
}

/**
 * The cue scrolls to the next card below the edge; the last card, scrolled into view, lies within its list,
 * and then the cue is gone.
 */
async function expectLastCardReachable(): Promise<void> {
  const list = page.getByTestId('profile-gallery').locator('ul');
  const cards = list.locator('li');
  await cards.first().waitFor();
  const more = page.getByTestId('gallery-more');
  if (await more.isVisible()) {
    const count = Number(/(\d+) more/.exec((await more.textContent())!)![1]);
    await more.click();
    await (count > 1 ? more.filter({ hasText: `${count - 1} more` }).waitFor() : more.waitFor({ state: 'hidden' }));
  }
  const last = cards.last();
  await last.scrollIntoViewIfNeeded();
  const box = (await list.boundingBox())!;
  const card = (await last.boundingBox())!;
  expect(card.y).toBeGreaterThanOrEqual(box.y - 1);
  expect(card.y + card.height).toBeLessThanOrEqual(box.y + box.height + 1);
  await more.waitFor({ state: 'hidden' });
}

describe('profiles in browser mode', () => {
  it('shows a gallery whose last card can be reached, with a cue for the cards below', async () => {
    await page.getByTestId('profile-nvdimm-1g-labels').waitFor();
    await setTheme('light');
    const cards = page.getByTestId('profile-gallery').locator('li');
    const list = await page.getByTestId('profile-gallery').locator('ul').boundingBox();
    const hidden = await cards.evaluateAll(
      (els, bottom) => els.filter((e) => e.getBoundingClientRect().bottom > bottom + 1).length,
      list!.y + list!.height,
    );
    if (hidden) expect(await page.getByTestId('gallery-more').textContent()).toContain(`${hidden} more`);
    await shot('gallery-1600x1000-light');
    await expectLastCardReachable();
    await shot('gallery-scrolled-1600x1000-light');
  });

  it('serves the page icon, and the page loads nothing that is missing', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBeTruthy();
    const icon = await page.evaluate(async (h) => {
      const r = await fetch(h!);
      return { status: r.status, type: r.headers.get('content-type') };
    }, href);
    expect(icon).toEqual({ status: 200, type: 'image/svg+xml' });
    expect(failedLoads).toEqual([]);
  });

  it('puts each error beside its field, in sizes people write', async () => {
    await page.getByRole('button', { name: 'New' }).click();
    await editor().getByTestId('argv-preview').waitFor();
    const notSize = await typeNvdimmSize('6442450944 bytes', problem('error', 'nvdimms[0].size'));
    expect(notSize).toContain('"6442450944 bytes" is not a size: write 6G');
    expect(notSize).not.toContain('nvdimms[]');
    await expectUnder(problem('error', 'nvdimms[0].size'), nvdimmSize());
    // the summary names the field once, with its line in the YAML
    const summary = await page.getByTestId('profile-check').textContent();
    expect(summary!.split('nvdimms[0].size')).toHaveLength(2);
    const yaml = await editor().getByTestId('profile-yaml').inputValue();
    const line = yaml.split('\n').findIndex((l) => l.includes('6442450944 bytes')) + 1;
    expect(summary).toContain(`line ${line}`);
    // the line button selects that line of the YAML
    await page
      .getByTestId('profile-check')
      .getByRole('button', { name: `line ${line}` })
      .click();
    const selected = await editor()
      .getByTestId('profile-yaml')
      .evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd));
    expect(selected).toContain('size: 6442450944 bytes');

    const tooBig = await typeNvdimmSize('6442450944', problem('error', 'memory.maxmem'));
    expect(tooBig).toBe(
      'maxmem: RAM 2G plus NVDIMM backing 6146M is 8194M, more than maxmem 8G; ' +
        'raise memory.maxmem to at least 8194M',
    );
    await expectUnder(problem('error', 'memory.maxmem'), editor().getByLabel('maxmem'));
    expect(await editor().getByLabel('maxmem').getAttribute('aria-invalid')).toBe('true');
  });

  it("refuses 1001M with QEMU's reason, and says what becomes of 1000M and 1G", async () => {
    const refused = await typeNvdimmSize('1001M', problem('error', 'nvdimms[0].size'));
    expect(refused).toMatch(/^size: QEMU sizes an NVDIMM's region in whole 2M .*write 1000M or 1002M$/);
    await shot('editor-1001M-1600x1000-light');

    const notice = await typeNvdimmSize('1000M', problem('notice', 'nvdimms[0].size'));
    expect(notice).toContain('QEMU gives the guest a 1000M region');
    expect(notice).toContain('aligns the region to 16M');
    expect(notice).toContain('992M or 1008M');
    await expectUnder(problem('notice', 'nvdimms[0].size'), nvdimmSize());
    expect(await page.getByTestId('profile-check').textContent()).toContain('valid');
    expect(await problem('error', 'nvdimms[0].size').count()).toBe(0);
    await shot('editor-1000M-1600x1000-light');

    const whole = await typeNvdimmSize('1G', problem('notice', 'nvdimms[0].size').filter({ hasText: 'System RAM' }));
    expect(whole).toContain('kmem hot-adds only whole 128M memory blocks: 896M of System RAM');
  });

  it('reads the same in the dark theme and at 1280x800', async () => {
    await typeNvdimmSize('1001M', problem('error', 'nvdimms[0].size'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await setTheme('dark');
    await shot('gallery-1600x1000-dark');
    await page.getByRole('button', { name: 'New' }).click();
    await typeNvdimmSize('1001M', problem('error', 'nvdimms[0].size'));
    await shot('editor-1001M-1600x1000-dark');
    await typeNvdimmSize('1000M', problem('notice', 'nvdimms[0].size'));
    await shot('editor-1000M-1600x1000-dark');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('editor-1000M-1280x800-dark');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expectLastCardReachable();
    await shot('gallery-scrolled-1280x800-dark');
    await setTheme('light');
    await page.getByRole('button', { name: 'New' }).click();
    await typeNvdimmSize('1001M', problem('error', 'nvdimms[0].size'));
    await shot('editor-1001M-1280x800-light');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByTestId('profile-gallery')
      .locator('ul')
      .evaluate((e) => e.scrollTo(0, 0));
    await shot('gallery-1280x800-light');
    expect(failedLoads).toEqual([]);
  });

  it("lists the lab's kernel presets with their state, and writes the one picked into the YAML", async () => {
    await page.setViewportSize({ width: 1600, height: 1000 });
    const listed = await lab.backend.call('kernels.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    const presets = listed.value as KernelPreset[];
    expect(presets.map((p) => p.name)).toEqual(expect.arrayContaining(['base', 'debug', 'hmm']));
    const hmm = presets.find((p) => p.name === 'hmm')!;

    // a shipped profile naming the preset is tagged in the gallery
    expect(await page.getByTestId('profile-hmm-lab-kernel').textContent()).toContain('lab kernel: hmm');
    await page.getByRole('button', { name: 'New' }).click();
    const select = editor().getByTestId('kernel-select');
    await select.locator('option[value="preset:hmm"]').waitFor({ state: 'attached' });
    expect(await select.inputValue()).toBe('host');
    const label = (p: KernelPreset) =>
      `${p.name} — ${p.building ? 'building' : p.built ? `built ${p.built.release}` : 'not built'}`;
    const options = await select.locator('option').allTextContents();
    expect(options[0]).toBe("host (Debian's kernel)");
    expect(options.at(-1)).toBe('own build (path)');
    for (const p of presets) expect(options.find((o) => o.startsWith(`${p.name} — `))).toContain(label(p));

    await select.selectOption('preset:hmm');
    const yaml = editor().getByTestId('profile-yaml');
    await expect.poll(() => yaml.inputValue()).toContain('kernel: { preset: hmm }');
    await page.getByTestId('profile-check').getByText('valid').waitFor();
    const status = editor().getByTestId('kernel-status');
    if (hmm.built)
      expect(await status.getByTestId('kernel-built').textContent()).toContain(`built ${hmm.built.release}`);
    else expect(await status.getByTestId('kernel-build').textContent()).toMatch(/^Build \(about \d+ min\)$/);
    await shot('editor-kernel-hmm-1600x1000-light');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await setTheme('dark');
    await page.getByRole('button', { name: 'New' }).click();
    await select.selectOption('preset:debug');
    await expect.poll(() => yaml.inputValue()).toContain('kernel: { preset: debug }');
    await page.getByTestId('profile-check').getByText('valid').waitFor();
    await shot('editor-kernel-debug-1600x1000-dark');
    await select.selectOption('host');
    await expect.poll(() => yaml.inputValue()).not.toContain('kernel:');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await shot('gallery-kernel-tag-1600x1000-dark');
    await setTheme('light');

    if (hmm.built) {
      // a built kernel is found at once, not compiled: the answer, then its end event, in seconds
      const events: Events['kernel.build'][] = [];
      const off = lab.backend.subscribe((name, e) => {
        if (name === 'kernel.build') events.push(e as Events['kernel.build']);
      });
      const started = Date.now();
      expect(await lab.backend.call('kernels.build', { preset: 'hmm' })).toMatchObject({ ok: true });
      await expect.poll(() => events.find((e) => e.built || e.error), { timeout: 30_000 }).toBeTruthy();
      off();
      expect(events.at(-1)).toMatchObject({ preset: 'hmm', progress: { stage: 'cached' }, built: hmm.built });
      expect(Date.now() - started).toBeLessThan(30_000);
    }
  });
});
