// CXL in the app (issue 13): boot q35-cxl-pmem (one 4 GiB window, one
// 256 MiB persistent device), create region0 from the action panel's CXL tab,
// disable and enable it with the tab's buttons, put a devdax namespace on it
// and hand that to kmem from the panel's namespace and dax forms. Every step
// agrees with the guest in every dimension, and the CXL topology shows region0
// committed on decoder0.0 with mem0's endpoint decoder in pmem mode, alike on
// the guest's side and the model's. Real TCG guest, Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootFromGallery, entry, isFull, openLab, type LabPage } from './lab-page';

let lab: LabPage;

beforeAll(async () => {
  lab = await openLab({ width: 1280, height: 800 });
  await lab.page.goto(lab.server.url);
});
afterAll(() => lab?.close());

const panel = () => lab.page.getByTestId('action-panel');
const topology = () => lab.page.getByTestId('cxl-topology');
const row = (key: string) => topology().locator(`[data-testid="cxl-row"][data-key="${key}"]`);
const WINDOW = 'root0/decoder0.0';
const REGION = 'root0/decoder0.0/region0';
const ENDPOINT = 'root0/port1/0000:0c:00.0/mem0/decoder2.0';

/** The topology's `nodes` rows all alike on both sides, as "N/N nodes alike". */
async function allAlike(nodes: number): Promise<void> {
  await expect.poll(() => topology().getByTestId('cxl-summary').textContent()).toBe(`${nodes}/${nodes} nodes alike`);
  expect(await topology().locator('[data-testid="cxl-row"]:not([data-side="both"])').count()).toBe(0);
}

/** Sends the panel's current form and waits for its timeline entry, which must agree in every dimension. */
async function sendAndAgree(count: number): Promise<void> {
  await lab.page.getByTestId('action-send').click();
  await entry(lab.page, count);
  expect(isFull(await lab.page.getByTestId('fidelity').textContent())).toBe(true);
  expect(await lab.page.getByTestId('action-result').textContent()).toContain('sent 1 of 1 command, exit 0');
}

describe('CXL in the app', () => {
  it('shows the topology and the CXL tab only once a guest with a CXL bus has booted', async () => {
    const { page } = lab;
    await panel().waitFor();
    expect(await panel().getByRole('tab', { name: 'CXL' }).count()).toBe(0);
    expect(await topology().count()).toBe(0);
    await bootFromGallery(page, 'q35-cxl-pmem');
    await entry(page, 1);
    expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
    // root0, its window, port1, its switch decoder, the root port, mem0 and its endpoint decoder
    await allAlike(7);
    expect(await row(WINDOW).textContent()).toContain('0x2f0000000–0x3efffffff · 4G');
    expect(await row(WINDOW).textContent()).toContain('4G free · next region0');
    expect(await row(ENDPOINT).textContent()).toContain('none · no DPA · no range · no region');
  });

  it('creates region0 on decoder0.0 from mem0 with the CXL tab; the guest and the model agree', async () => {
    const { page } = lab;
    await panel().getByRole('tab', { name: 'CXL' }).click();
    const form = page.getByTestId('cxl-create');
    expect(await form.getByLabel('root decoder').inputValue()).toBe('decoder0.0');
    const mem0 = form.getByRole('checkbox', { name: /mem0/ });
    expect(await mem0.isChecked()).toBe(true);
    // the form builds nothing without a memdev, and says so
    await mem0.uncheck();
    expect(await page.getByTestId('action-send').isDisabled()).toBe(true);
    await mem0.check();
    await form.getByLabel('root decoder').selectOption('decoder0.0');
    expect(await page.getByTestId('action-preview').textContent()).toBe(
      '# cxl create-region -d decoder0.0 -t pmem -m mem0',
    );
    await sendAndAgree(2);

    await allAlike(8);
    const region = await row(REGION).textContent();
    for (const fact of ['0x2f0000000–0x2ffffffff · 256M', 'committed · enabled', 'targets decoder2.0', 'nd region0'])
      expect(region).toContain(fact);
    expect(await row(ENDPOINT).textContent()).toContain('pmem · DPA 0x0–0xfffffff · 0x2f0000000–0x2ffffffff');
    expect(await row(ENDPOINT).textContent()).toContain('region0');
    expect(await row(WINDOW).textContent()).toContain('3840M free · next region1');
    // the region's row sits right under its window's
    const keys = await topology()
      .getByTestId('cxl-row')
      .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-key')));
    expect(keys.indexOf(REGION)).toBe(keys.indexOf(WINDOW) + 1);
    // and the tab's region row offers it, destroy with -f
    const ops = page.getByTestId('cxl-region-ops');
    expect(await ops.getByLabel('region').inputValue()).toBe('region0');
    expect(await ops.getByRole('button', { name: 'destroy' }).getAttribute('title')).toBe(
      'cxl destroy-region -f region0',
    );
    await lab.shot('cxl-region');
  });

  it("disables and enables region0 with the tab's buttons; its nd region goes and comes back", async () => {
    const { page } = lab;
    const ops = page.getByTestId('cxl-region-ops');
    const press = async (op: string, count: number) => {
      expect(await ops.getByRole('button', { name: op }).getAttribute('title')).toBe(`cxl ${op}-region region0`);
      await ops.getByRole('button', { name: op }).click();
      await entry(page, count);
      expect(isFull(await page.getByTestId('fidelity').textContent())).toBe(true);
      expect(await page.getByTestId('action-result').textContent()).toContain('sent 1 of 1 command, exit 0');
    };
    await press('disable', 3);
    await allAlike(8);
    expect(await row(REGION).textContent()).toContain('committed · disabled');
    expect(await row(REGION).textContent()).toContain('no nd region');
    await press('enable', 4);
    await allAlike(8);
    expect(await row(REGION).textContent()).toContain('committed · enabled');
    expect(await row(REGION).textContent()).toContain('nd region0');
  });

  it('puts a devdax namespace on region0 and hands it to kmem; the topology stays alike', async () => {
    const { page } = lab;
    await panel().getByRole('tab', { name: 'Namespace' }).click();
    expect(await page.getByTestId('action-preview').textContent()).toBe(
      '# ndctl create-namespace -r region0 -m devdax',
    );
    await sendAndAgree(5);
    const created = await page.getByTestId('step-outputs').textContent();
    expect(created).toContain('"chardev":"dax0.0"');
    expect(created).toContain('"size":262144000');
    expect(created).toContain('"target_node":1');

    await panel().getByRole('tab', { name: 'dax / kmem' }).click();
    expect(await page.getByTestId('action-preview').textContent()).toBe(
      '# daxctl reconfigure-device --mode=system-ram dax0.0',
    );
    await sendAndAgree(6);
    const onlined = await page.getByTestId('step-outputs').textContent();
    expect(onlined).toContain('"mode":"system-ram"');
    expect(onlined).toContain('"online_memblocks":1');
    await allAlike(8);
    expect(await row(REGION).textContent()).toContain('committed · enabled');
    await lab.shot('cxl-kmem');
  });
});
