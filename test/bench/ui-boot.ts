// "Boot" clicked in the UI until the console shows the guest's shell, against
// the CLI's own path to a ready guest (kit check + QEMU to the agent), the
// two interleaved in one run on the same profile. Under TCG one boot differs
// from the next by up to 1 s (1.8 to 2.9 s here), so each side is the median
// of 15 boots, taken in alternating order after a warm-up of each.
import { createBackend } from '../../src-main/backend/lab-backend';
import { ensureRendererBuilt } from '../../src-main/server/renderer-build';
import { serveLab } from '../../src-main/server/server';
import { loadProfile } from '../../src-main/store/profiles';
import { prepare } from '../../src-main/guest/lab';
import { Vm } from '../../src-main/guest/vm';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser';
import { median } from './stats';

export interface UiBootFigures {
  ui_boot_to_shell_ms: number;
  cli_ready_ms: number;
  ui_boot_minus_cli_ms: number;
}

const PROFILE = 'nvdimm-1g-labels';

/**
 * Installs a watch in the page and returns a promise that resolves when its
 * console, for a session other than `prev`, shows the prompt. A
 * MutationObserver sees it, so waiting costs the page nothing between changes.
 */
async function watchForPrompt(
  page: Page,
  prev: string | null,
  seen: { at?: number; resolve?: () => void },
): Promise<{ shown: Promise<void> }> {
  const shown = new Promise<void>((resolve) => (seen.resolve = resolve));
  // a string, not a function: tsx's name-keeping helpers do not exist in the page
  await page.evaluate(`(() => {
    const prev = ${JSON.stringify(prev)};
    const observer = new MutationObserver(() => {
      const c = document.querySelector('[data-testid="guest-console"]');
      const text = c?.querySelector('.xterm-rows')?.textContent ?? '';
      if (!c || c.getAttribute('data-session') === prev || !text.includes('pmem-lab:/#')) return;
      observer.disconnect();
      window.pmemLabPromptSeen();
    });
    observer.observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-session'],
    });
  })()`);
  // wrapped: an async function returning the promise itself would wait for it
  return { shown };
}

export async function benchUiBoot(runs: number): Promise<UiBootFigures> {
  const backend = createBackend({ mode: 'browser' });
  const server = await serveLab({ backend, staticDir: await ensureRendererBuilt() });
  const browser = await launchChromium();
  const ui: number[] = [];
  const cli: number[] = [];
  try {
    const profile = await loadProfile(PROFILE);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const seen: { at?: number; resolve?: () => void } = {};
    await page.exposeFunction('pmemLabPromptSeen', () => {
      seen.at = performance.now();
      seen.resolve?.();
    });
    await page.goto(server.url);
    await page.getByTestId(`profile-${PROFILE}`).click();

    const cliBoot = async (): Promise<number> => {
      const t0 = performance.now();
      const prepared = await prepare(profile);
      const vm = await Vm.boot({ profile, kit: prepared.kit, accel: prepared.accel.accel });
      const ms = performance.now() - t0;
      await vm.stop();
      return ms;
    };
    const uiBoot = async (): Promise<number> => {
      const before = await page.getByTestId('guest-console').getAttribute('data-session');
      const { shown } = await watchForPrompt(page, before, seen);
      const t1 = performance.now();
      await page.getByTestId('boot').click();
      await Promise.race([
        shown,
        delay(120_000, undefined, { ref: false }).then(() =>
          Promise.reject(new Error('the console showed no prompt within 120 s of Boot')),
        ),
      ]);
      const ms = seen.at! - t1;
      await page.getByTestId('stop').click();
      await page.locator('[data-testid="vm-phase"][data-phase="stopped"]').waitFor({ timeout: 30_000 });
      return ms;
    };
    // one unmeasured boot each (page caches, kit verdict), then pairs in alternating order so drift cancels
    await cliBoot();
    await uiBoot();
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        cli.push(await cliBoot());
        ui.push(await uiBoot());
      } else {
        ui.push(await uiBoot());
        cli.push(await cliBoot());
      }
    }
  } finally {
    await browser.close();
    await backend.stopAll();
    await server.close();
  }
  const u = median(ui);
  const c = median(cli);
  return { ui_boot_to_shell_ms: Math.round(u), cli_ready_ms: Math.round(c), ui_boot_minus_cli_ms: Math.round(u - c) };
}

if (import.meta.filename === process.argv[1]) console.log(await benchUiBoot(Number(process.env.BENCH_RUNS ?? 15)));
