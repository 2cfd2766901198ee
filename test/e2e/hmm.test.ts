// Device-private memory in the app, on the kernel the lab builds (issue 16):
// boot the hmm-lab-kernel profile from the gallery, load test_hmm from the
// console, then plug a DIMM over a chunk through the page's own door. Every
// step agrees with the model in every dimension; the resource tree shows the
// chunks and the refused DIMM adds nothing. Real TCG guest, Chromium.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootFromGallery, entry, isFull, openLab, type LabPage } from './lab-page';

let lab: LabPage;

beforeAll(async () => {
  // Built once by the integration suite (or by hand); from the cache this returns at once.
  await execa('node', ['bin/pmem-lab.js', 'kernel', 'build', 'hmm'], { stdio: 'inherit' });
  lab = await openLab();
  await lab.page.goto(lab.server.url);
  await bootFromGallery(lab.page, 'hmm-lab-kernel');
}, 45 * 60_000);
afterAll(() => lab?.close());

async function sessionId(): Promise<string> {
  const info = (await lab.backend.call('lab.info', {})) as { ok: true; value: { sessions: { id: string }[] } };
  return info.value.sessions.at(-1)!.id;
}
const tree = () => lab.page.getByTestId('resource-tree').innerText();

describe('device-private memory in the app', () => {
  it('shows the lab-built kernel and test_hmm’s two chunks, as the model predicts', async () => {
    const { page } = lab;
    await entry(page, 1);
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    await page.locator('.xterm').click();
    await page.keyboard.type('modprobe test_hmm');
    await page.keyboard.press('Enter');
    const loaded = await entry(page, 2);
    expect(await loaded.textContent()).toContain('modprobe test_hmm');
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    // one row per line, the guest's on the left and the model's on the right: both sides hold both chunks
    const rows = page.getByTestId('resource-tree').locator('.row', { hasText: 'hmm_dmirror' });
    await rows.first().waitFor();
    expect(await rows.locator('.r').allInnerTexts()).toEqual([
      'fce0000000-fcefffffff : hmm_dmirror',
      'fcf0000000-fcffffffff : hmm_dmirror',
    ]);
    expect(await rows.locator('.m').allInnerTexts()).toEqual(await rows.locator('.r').allInnerTexts());
    await lab.shot('hmm-1-chunks');
  });

  it('plugs a DIMM over a chunk: QEMU says yes, the guest adds nothing, and the model agrees', async () => {
    const { page } = lab;
    const session = await sessionId();
    const qmp = (execute: string, args: Record<string, unknown>) =>
      lab.backend.call('session.act', { session, step: { qmp: { execute, arguments: args } } });
    await qmp('object-add', { 'qom-type': 'memory-backend-ram', id: 'hp1', size: 268435456 });
    await qmp('device_add', { driver: 'pc-dimm', id: 'dimm1', memdev: 'hp1', addr: 0xfce0000000 });
    await entry(page, 4);
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    expect(await tree()).not.toMatch(/fce0000000.*System RAM/);
    await lab.shot('hmm-2-dimm-refused');
  });
});
