// One lab in browser mode for an end-to-end file: a real backend and server,
// Debian's Chromium, one page in a context of its own, and the helpers every
// file needs (screenshots into test-artifacts/, waiting for timeline entries).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createBackend } from '../../src-main/backend/lab-backend';
import type { Backend } from '../../src-main/backend/types';
import { ensureRendererBuilt } from '../../src-main/server/renderer-build';
import { serveLab, type LabServer } from '../../src-main/server/server';
import { launchChromium } from './browser';

export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

export interface LabPage {
  backend: Backend;
  server: LabServer;
  browser: Browser;
  page: Page;
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function openLab(viewport = { width: 1600, height: 1000 }): Promise<LabPage> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // a checkpoint store of the file's own: its first boot of a profile is cold, the next ones restore
  const checkpoints = mkdtempSync(join(tmpdir(), 'pmem-lab-e2e-checkpoints-'));
  const before = process.env.PMEM_LAB_CHECKPOINTS;
  process.env.PMEM_LAB_CHECKPOINTS = checkpoints;
  const staticDir = await ensureRendererBuilt();
  const backend = createBackend({ mode: 'browser' });
  const server = await serveLab({ backend, staticDir });
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport, acceptDownloads: true })).newPage();
  return {
    backend,
    server,
    browser,
    page,
    shot: (name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) }),
    close: async () => {
      await browser.close();
      await backend.stopAll();
      await server.close();
      if (before === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
      else process.env.PMEM_LAB_CHECKPOINTS = before;
      rmSync(checkpoints, { recursive: true, force: true });
    },
  };
}

/** Boots a profile from the gallery and waits for the guest shell and the first timeline entry. */
export async function bootFromGallery(page: Page, profile: string): Promise<void> {
  await page.getByTestId(`profile-${profile}`).click();
  await page.getByTestId('boot').click();
  await page.locator('[data-testid="vm-phase"][data-phase="ready"]').waitFor({ timeout: 120_000 });
  await page.locator('.xterm-rows', { hasText: 'pmem-lab:/#' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('timeline-entry').first().waitFor({ timeout: 30_000 });
}

/** Waits for the timeline to hold `count` entries and selects the last of them. */
export async function entry(page: Page, count: number) {
  const e = page.getByTestId('timeline-entry').nth(count - 1);
  await e.waitFor({ timeout: 120_000 });
  await e.click();
  return e;
}

export const isFull = (text: string | null) => {
  const m = /fidelity (\d+)\/(\d+)/.exec(text ?? '');
  return !!m && m[1] === m[2] && Number(m[2]) > 0;
};
