// Rewind and fork in the app (issue 14): boot dimm-hotplug, hot-add a DIMM from the action panel (its backend,
// then the device), rewind to the entry between the two and see the timeline and the console go back there,
// plug another DIMM into the restored guest with full fidelity, then fork from the boot: the timeline is back to
// entry 0 and the abandoned entries are a branch to look at, read only. Real TCG guest, Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootFromGallery, entry, isFull, openLab, type LabPage } from './lab-page';

let lab: LabPage;

beforeAll(async () => {
  lab = await openLab();
  await lab.page.goto(lab.server.url);
  await bootFromGallery(lab.page, 'dimm-hotplug');
});
afterAll(() => lab?.close());

const entries = () => lab.page.getByTestId('timeline-entry');
/** The console ends at the shell's prompt; a timeout says what the screen ended with instead. */
const prompt = () =>
  lab.page
    .waitForFunction(
      () => /pmem-lab:\/# *$/.test(document.querySelector('.xterm-rows')!.textContent.trim() + ' '),
      undefined,
      { timeout: 60_000 },
    )
    .catch(async (e: Error) => {
      const screen = await lab.page.locator('.xterm-rows').innerText();
      throw new Error(`no prompt at the end of the console, which ends: ${JSON.stringify(screen.slice(-300))}`, {
        cause: e,
      });
    });

/** Plugs the DIMM the panel's form offers (object-add, device_add); the timeline then holds `count` entries. */
async function plugDimm(count: number): Promise<string> {
  const { page } = lab;
  await page.getByTestId('action-panel').getByRole('tab', { name: 'DIMM (QMP)' }).click();
  const id = await page.getByLabel('id', { exact: true }).inputValue();
  await page.getByTestId('action-send').click();
  await entry(page, count);
  // the panel is done once the last step's checkpoint is saved
  await page.getByTestId('action-send').getByText('Send', { exact: true }).waitFor({ timeout: 120_000 });
  expect(await page.getByTestId('action-result').innerText()).toContain('sent 2 of 2 commands, exit 0');
  return id;
}

describe('rewind and fork in the app', () => {
  it('rewinds to an earlier entry: the timeline and the console go back, and the next steps agree', async () => {
    const { page } = lab;
    expect(await plugDimm(3)).toBe('dimm1');
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    // the newest entry has nothing after it to keep, so it cannot be forked from
    await expect.poll(() => page.getByTestId('rewind-here').isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('fork-here').isDisabled()).toBe(true);

    // entry 1: the DIMM's backend is there, the DIMM not yet
    await entries().nth(1).click();
    const rewind = page.getByTestId('rewind-here');
    expect(await rewind.isEnabled()).toBe(true);
    expect(await page.getByTestId('fork-here').isEnabled()).toBe(true);
    await lab.shot('rewind-1-before');
    await rewind.click();
    await expect.poll(() => entries().count(), { timeout: 120_000 }).toBe(2);
    await prompt();
    // back to following the newest entry, which is the one restored
    await page.locator('[data-testid="rewind-here"]:enabled').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('timeline').locator('li.selected').getAttribute('data-n')).toBe('1');
    expect(await page.getByTestId('timeline-branch').count()).toBe(0);
    // the plug's result line spoke of entries that are gone
    expect(await page.getByTestId('action-result').count()).toBe(0);
    await lab.shot('rewind-2-rewound');

    // a DIMM into the restored guest: the form offers the next id (the backend mem-dimm1 still exists)
    expect(await plugDimm(4)).toBe('dimm2');
    expect(await entries().nth(3).innerText()).toContain('device_add');
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    await lab.shot('rewind-3-next-step');
  });

  it('forks from the boot: the timeline is back to entry 0 and the entries after it are a branch', async () => {
    const { page } = lab;
    await entries().first().click();
    await page.locator('[data-testid="fork-here"]:enabled').waitFor({ timeout: 60_000 });
    await page.getByTestId('fork-here').click();
    const branch = page.getByTestId('timeline-branch');
    await branch.waitFor({ timeout: 120_000 });
    expect(await branch.innerText()).toBe('branch 1: 3 entries after entry 0');
    await expect.poll(() => entries().count()).toBe(1);
    await prompt();
    // entry 0 is the newest: rewind restores it again, a fork would keep nothing
    await page.locator('[data-testid="rewind-here"]:enabled').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('fork-here').isDisabled()).toBe(true);
    await lab.shot('rewind-4-forked');

    // the branch, read only, then back
    await branch.click();
    await page.getByTestId('branch-viewing').waitFor();
    const kept = page.getByTestId('branch-entry');
    expect(await kept.count()).toBe(3);
    expect(await kept.nth(2).innerText()).toContain('dimm2');
    expect(await entries().count()).toBe(0);
    expect(await page.getByTestId('rewind-here').count()).toBe(0);
    await lab.shot('rewind-5-branch');
    await page.getByTestId('branch-back').click();
    await expect.poll(() => entries().count()).toBe(1);

    // the guest from the boot takes the first DIMM's id again, and agrees
    expect(await plugDimm(3)).toBe('dimm1');
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    await lab.shot('rewind-6-after-fork');
  });
});
