// "Boot" clicked in the UI until the console shows the guest's shell, against
// the CLI's own path to a ready guest (kit check + QEMU to the agent), the
// two interleaved in one run on the same profile.
import { createBackend } from '../../src-main/backend/lab-backend';
import { ensureRendererBuilt } from '../../src-main/server/renderer-build';
import { serveLab } from '../../src-main/server/server';
import { loadProfile } from '../../src-main/session/profiles';
import { prepare } from '../../src-main/session/lab';
import { Vm } from '../../src-main/session/vm';
import { launchChromium } from '../e2e/browser';
import { median } from './stats';

export interface UiBootFigures {
  ui_boot_to_shell_ms: number;
  cli_ready_ms: number;
  ui_boot_minus_cli_ms: number;
}

const PROFILE = 'nvdimm-1g-labels';

export async function benchUiBoot(runs: number): Promise<UiBootFigures> {
  const backend = createBackend({ mode: 'browser' });
  const server = await serveLab({ backend, staticDir: await ensureRendererBuilt() });
  const browser = await launchChromium();
  const ui: number[] = [];
  const cli: number[] = [];
  try {
    const profile = await loadProfile(PROFILE);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(server.url);
    await page.getByTestId(`profile-${PROFILE}`).click();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const prepared = await prepare(profile);
      const vm = await Vm.boot({ profile, kit: prepared.kit, accel: prepared.accel.accel });
      cli.push(performance.now() - t0);
      await vm.stop();

      const before = await page.getByTestId('guest-console').getAttribute('data-session');
      const t1 = performance.now();
      await page.getByTestId('boot').click();
      // the new session's console showing the shell prompt
      await page.waitForFunction(
        (prev) => {
          const c = document.querySelector('[data-testid="guest-console"]');
          return !!c && c.getAttribute('data-session') !== prev && (c.querySelector('.xterm-rows')?.textContent ?? '').includes('pmem-lab:/#');
        },
        before,
        { polling: 20, timeout: 60_000 },
      );
      ui.push(performance.now() - t1);
      await page.getByTestId('stop').click();
      await page.locator('[data-testid="vm-phase"][data-phase="stopped"]').waitFor({ timeout: 30_000 });
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

if (import.meta.filename === process.argv[1]) console.log(await benchUiBoot(Number(process.env.BENCH_RUNS ?? 3)));
