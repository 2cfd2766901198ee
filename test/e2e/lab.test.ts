// The lab end to end in browser mode: a real server, a real TCG guest, the UI
// in Chromium. Boot nvdimm-1g-labels, make a devdax namespace and hand it to
// kmem from the action panel, see "System RAM (kmem)" in both trees with full
// fidelity, type a vocabulary line in the console and see the model follow,
// export the report. Screenshots land in test-artifacts/ to be looked at.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../../src-main/server/server';
import { ARTIFACTS, isFull, openLab, type LabPage } from './lab-page';

let lab: LabPage;
let server: LabServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  lab = await openLab();
  ({ server, browser, page } = lab);
});
afterAll(() => lab?.close());

const shot = (name: string) => lab.shot(name);

/** The newest timeline entry's fidelity text, once the timeline holds `count` entries. */
async function fidelityAfter(count: number): Promise<string> {
  await page
    .getByTestId('timeline-entry')
    .nth(count - 1)
    .waitFor({ timeout: 120_000 });
  await page
    .getByTestId('timeline-entry')
    .nth(count - 1)
    .click();
  return (await page.getByTestId('fidelity').textContent())!.trim();
}

describe('PMEM Lab in browser mode', () => {
  it('opens with its title and the profile gallery', async () => {
    await page.goto(server.url);
    expect(await page.title()).toBe('PMEM Lab');
    await page.getByTestId('profile-nvdimm-1g-labels').waitFor();
    await shot('01-gallery');
  });

  it('shows a live-validated profile and its QEMU command line in the editor', async () => {
    await page.getByTitle('edit nvdimm-1g-labels').click();
    await page.getByTestId('argv-preview').waitFor();
    expect(await page.getByTestId('argv-preview').textContent()).toContain('-nodefaults');
    const yaml = page.getByTestId('profile-yaml');
    const text = await yaml.inputValue();
    await yaml.fill(text.replace(/size: 2G/, 'size: lots'));
    await page.getByTestId('profile-check').getByText('memory.size').waitFor();
    await shot('02-editor-error');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('boots nvdimm-1g-labels to the guest shell, with the model beside it', async () => {
    await page.getByTestId('profile-nvdimm-1g-labels').click();
    await page.getByTestId('boot').click();
    await page.locator('[data-testid="vm-phase"][data-phase="ready"]').waitFor({ timeout: 120_000 });
    await page.locator('.xterm-rows', { hasText: 'pmem-lab:/#' }).waitFor({ timeout: 30_000 });
    expect(isFull(await fidelityAfter(1))).toBe(true);
    await shot('03-booted');
  });

  it('creates a devdax namespace and hands it to kmem from the action panel', async () => {
    const panel = page.getByTestId('action-panel');
    await panel.getByRole('tab', { name: 'Namespace' }).click();
    // the form starts from the guest: labels not yet written, so its raw namespace is reconfigured
    expect(await panel.getByLabel('reconfigure').inputValue()).toBe('namespace0.0');
    expect(await page.getByTestId('action-preview').textContent()).toContain(
      'ndctl create-namespace -e namespace0.0 -m devdax -f',
    );
    await page.getByTestId('action-send').click();
    expect(isFull(await fidelityAfter(2))).toBe(true);

    await panel.getByRole('tab', { name: 'dax / kmem' }).click();
    expect(await page.getByTestId('action-preview').textContent()).toContain(
      'daxctl reconfigure-device --mode=system-ram dax0.0',
    );
    await page.getByTestId('action-send').click();
    expect(isFull(await fidelityAfter(3))).toBe(true);
    const kmemRows = page.locator('[data-testid="resource-tree"] [data-side="both"]', { hasText: 'System RAM (kmem)' });
    expect(await kmemRows.count()).toBeGreaterThan(0);
    // the rule behind the model's line, and the section it lives in
    await kmemRows.first().click();
    expect(await page.getByTestId('explanation').textContent()).toContain(
      'mm/memory_hotplug.c:add_memory_driver_managed',
    );
    await page
      .getByTestId('address-map')
      .locator('canvas')
      .click({ position: { x: 5, y: 10 } });
    await page.getByTestId('subsection-strip').waitFor();
    await shot('04-kmem');
  });

  it('mirrors a vocabulary line typed in the console into the model', async () => {
    await page.locator('.xterm').click();
    await page.keyboard.type('daxctl offline-memory dax0.0');
    await page.keyboard.press('Enter');
    const entry = page.getByTestId('timeline-entry').nth(3);
    await entry.waitFor({ timeout: 120_000 });
    expect(await entry.textContent()).toContain('console');
    expect(await entry.textContent()).toContain('daxctl offline-memory dax0.0');
    expect(isFull(await fidelityAfter(4))).toBe(true);
    await shot('05-console-mirrored');
  });

  it('keeps working after a reload and in a second tab: the token is kept, the running guest reattached', async () => {
    // the token left the address bar at the first load
    expect(page.url()).not.toContain('token=');
    await page.reload();
    await page.locator('[data-testid="vm-phase"][data-phase="ready"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('timeline-entry').nth(3).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('timeline-entry').count()).toBe(4);
    await page.locator('.xterm-rows', { hasText: 'daxctl offline-memory dax0.0' }).waitFor({ timeout: 30_000 });
    await shot('06-reloaded');
    const second = await page.context().newPage();
    try {
      await second.goto(`http://127.0.0.1:${server.port}/`);
      await second.locator('[data-testid="vm-phase"][data-phase="ready"]').waitFor({ timeout: 30_000 });
      await second.getByTestId('timeline-entry').nth(3).waitFor({ timeout: 30_000 });
    } finally {
      await second.close();
    }
  });

  it('exports a self-contained report', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
    const path = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(path);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('System RAM (kmem)');
    expect(html).toContain('daxctl offline-memory dax0.0');
    expect(html).not.toMatch(/<script/i);
  });

  it('shows the memory map and a what-if kernel', async () => {
    await page.getByTestId('what-if').selectOption('5.0');
    await page.getByText('model under 5.0 rules').waitFor();
    await shot('07-what-if-5.0');
    await page.getByTestId('what-if').selectOption('6.1');
    await page.keyboard.press('Control+Shift+L');
    await shot('08-dark');
  });

  it('stops the guest and leaves no QEMU behind', async () => {
    await page.getByTestId('stop').click();
    await page.locator('[data-testid="vm-phase"][data-phase="stopped"]').waitFor({ timeout: 30_000 });
    const ps = await execa('pgrep', ['-f', 'pmem-lab-nvdimm-1g-labels'], { reject: false });
    expect(ps.stdout.trim()).toBe('');
  });

  it('refuses a page without the token and a socket from a foreign origin', async () => {
    const other = await browser.newPage();
    const res = await other.goto(`http://127.0.0.1:${server.port}/`);
    expect(res?.status()).toBe(401);
    const wrong = await other.goto(`http://127.0.0.1:${server.port}/?token=wrong`);
    expect(wrong?.status()).toBe(401);
    // A page from another origin that somehow knows the token.
    const foreign = createServer((_req, res) => res.end('<title>elsewhere</title>'));
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
    await other.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
    const verdict = await other.evaluate(
      ([port, token]) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      [server.port, server.token] as const,
    );
    expect(verdict).toBe('refused');
    await other.close();
    foreign.close();
  });
});
