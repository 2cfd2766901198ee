// Faults injected into running guests: QEMU SIGKILLed at random points
// (booting, mid-snapshot, mid-hotplug), the QMP socket closed under the
// backend, a save killed half-way. Each must end in a clear state within
// a second, with no promise left pending, nothing leaked and the next boot fine.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src-main/store/profiles';
import { prepare, type Prepared } from '../../src-main/guest/lab';
import { runStep } from '../../src-main/guest/runner';
import { Vm } from '../../src-main/guest/vm';
import { LabBackend } from '../../src-main/backend/lab-backend';
import type { Profile } from '../../src-shared/profile/schema';
import { parseProfileYaml } from '../../src-shared/profile/validate';
import type { SessionInfo } from '../../src-shared/api/contract';
import { isolateRuntime, leaks, LONG, settlesWithin, waitFor } from './leaks';

const KILLS = LONG ? 30 : 6;
let profile: Profile;
let prepared: Prepared;
/** Every fault injected, for docs/reliability.md. */
const injected: Record<string, number> = {};
const count = (what: string) => (injected[what] = (injected[what] ?? 0) + 1);

beforeAll(async () => {
  isolateRuntime();
  profile = await loadProfile('dimm-hotplug');
  prepared = await prepare(profile, { accel: 'tcg' });
});
afterAll(async () => {
  console.log(`faults injected: ${JSON.stringify(injected)}`);
  expect(await leaks()).toEqual({ qemu: [], runtime: [] });
});

// cold boots: the faults of checkpoint saves and restores are checkpoints.test.ts's
const boot = (onLaunched?: (vm: Vm) => void) =>
  Vm.boot({ profile, kit: prepared.kit, accel: 'tcg', checkpoint: 'cold', ...(onLaunched ? { onLaunched } : {}) });
const random = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));

async function expectCrashed(vm: Vm, pending: Promise<unknown>): Promise<void> {
  const t0 = Date.now();
  expect(await settlesWithin(pending, 1000)).toBe('rejected');
  expect(await waitFor(() => vm.state === 'crashed', 1000)).toBe(true);
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(vm.reason).toMatch(/^QEMU was killed \(SIGKILL\)/);
  expect(
    await waitFor(async () => (await leaks()).runtime.length === 0 && (await leaks()).qemu.length === 0, 3000),
  ).toBe(true);
}

describe('QEMU killed with SIGKILL', () => {
  it(`while booting (${KILLS} random points)`, async () => {
    for (let i = 0; i < KILLS; i++) {
      let launched!: Vm;
      const booting = boot((vm) => (launched = vm));
      await waitFor(() => !!launched?.pid, 5000);
      await new Promise((r) => setTimeout(r, random(0, 1500)));
      process.kill(launched.pid!, 'SIGKILL');
      count('kill while booting');
      expect(await settlesWithin(booting, 1000)).toBe('rejected');
      await expect(booting).rejects.toThrow(/QEMU exited|SIGKILL/);
      expect(
        await waitFor(async () => (await leaks()).qemu.length === 0 && (await leaks()).runtime.length === 0, 3000),
      ).toBe(true);
    }
  });

  it(`mid-snapshot (${KILLS} random points), and the next boot works`, async () => {
    for (let i = 0; i < KILLS; i++) {
      const vm = await boot();
      const snap = vm.snapshot();
      await new Promise((r) => setTimeout(r, random(0, 25)));
      process.kill(vm.pid!, 'SIGKILL');
      count('kill mid-snapshot');
      await expectCrashed(vm, snap);
    }
    const next = await boot();
    expect((await next.snapshot()).memoryBlocks.length).toBeGreaterThan(0);
    await next.stop();
  });

  it(`mid-hotplug (${KILLS} random points)`, async () => {
    for (let i = 0; i < KILLS; i++) {
      const vm = await boot();
      await runStep(
        vm,
        { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'hp', size: 268435456 } } },
        1,
      );
      const plug = runStep(
        vm,
        { qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'd1', memdev: 'hp' } } },
        2,
      );
      await new Promise((r) => setTimeout(r, random(0, 300)));
      process.kill(vm.pid!, 'SIGKILL');
      count('kill mid-hotplug');
      const outcome = await settlesWithin(plug, 1000);
      // the hotplug may have completed just before the kill; it must not hang either way
      expect(outcome).not.toBe('pending');
      expect(await waitFor(() => vm.state === 'crashed', 1000)).toBe(true);
      expect(
        await waitFor(async () => (await leaks()).qemu.length === 0 && (await leaks()).runtime.length === 0, 3000),
      ).toBe(true);
    }
  });

  it('a lab session reports "crashed" with the reason within 1 s, and the next session boots', async () => {
    const lab = new LabBackend({ mode: 'browser' });
    const states: SessionInfo[] = [];
    lab.subscribe((name, payload) => name === 'session.state' && states.push(payload as SessionInfo));
    const s = (await lab.call('vm.boot', { profile: 'dimm-hotplug' })) as { ok: true; value: SessionInfo };
    expect(await waitFor(() => states.some((x) => x.id === s.value.id && x.phase === 'ready'), 60_000)).toBe(true);
    const pid = Number(
      (await execa('pgrep', ['-f', `qemu-system-x86_64 .*${process.env.PMEM_LAB_RUN}`])).stdout.split('\n')[0],
    );
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    count('kill under a lab session');
    expect(await waitFor(() => states.some((x) => x.id === s.value.id && x.phase === 'crashed'), 1000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(states.find((x) => x.phase === 'crashed')!.reason).toMatch(/SIGKILL/);
    expect(await lab.call('session.snapshot', { session: s.value.id })).toMatchObject({
      ok: false,
      error: { code: 'busy', message: expect.stringContaining('crashed') },
    });
    const again = (await lab.call('vm.boot', { profile: 'dimm-hotplug' })) as { ok: true; value: SessionInfo };
    expect(await waitFor(() => states.some((x) => x.id === again.value.id && x.phase === 'ready'), 60_000)).toBe(true);
    await lab.stopAll();
  });
});

describe('a stop while the guest boots', () => {
  // a store of its own, so the boot is cold: a restore of the checkpoint the session above saved can reach
  // "ready" before the boot's watch ever samples the guest in its kernel
  const saved = process.env.PMEM_LAB_CHECKPOINTS;
  beforeEach(() => void (process.env.PMEM_LAB_CHECKPOINTS = mkdtempSync(join(tmpdir(), 'pmem-lab-faults-'))));
  afterEach(() => {
    rmSync(process.env.PMEM_LAB_CHECKPOINTS!, { recursive: true, force: true });
    if (saved === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
    else process.env.PMEM_LAB_CHECKPOINTS = saved;
  });
  it('ends the session "stopped", never "crashed", and leaves nothing', async () => {
    const lab = new LabBackend({ mode: 'browser' });
    const states: SessionInfo[] = [];
    lab.subscribe((name, payload) => name === 'session.state' && states.push(payload as SessionInfo));
    const s = (await lab.call('vm.boot', { profile: 'dimm-hotplug' })) as { ok: true; value: SessionInfo };
    const mine = () => states.filter((x) => x.id === s.value.id).map((x) => x.phase);
    // the kernel is booting: Vm.boot is still waiting for the agent when the user clicks Stop
    expect(await waitFor(() => mine().includes('kernel'), 60_000)).toBe(true);
    await lab.call('vm.stop', { session: s.value.id });
    expect(await waitFor(() => mine().at(-1) === 'stopped', 5000)).toBe(true);
    // the boot's own failure (its guest went away) arrives after the stop and must not turn it into a crash
    await new Promise((r) => setTimeout(r, 1000));
    expect(mine()).not.toContain('crashed');
    expect(mine().at(-1)).toBe('stopped');
    expect(await waitFor(async () => (await leaks()).qemu.length === 0, 3000)).toBe(true);
    await lab.stopAll();
  });
});

describe('other faults', () => {
  it('QMP socket closing under the backend: hotplug fails fast with a clear error, stop still cleans up', async () => {
    const vm = await boot();
    vm.qmp!.close();
    count('QMP socket closed');
    const step = runStep(
      vm,
      { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'hp', size: 268435456 } } },
      1,
    );
    expect(await settlesWithin(step, 1000)).toBe('rejected');
    await expect(step).rejects.toThrow(/QMP.*closed/);
    await vm.stop();
    expect(await leaks()).toEqual({ qemu: [], runtime: [] });
  });

  it(
    `a profile save killed at random points leaves the old ` +
      `or the new file, never a partial one (${KILLS * 5} kills)`,
    async () => {
      const config = mkdtempSync(join(tmpdir(), 'pmem-lab-save-'));
      const dir = join(config, 'profiles');
      const target = join(dir, 'rel-save.yaml');
      const writer = join(import.meta.dirname, 'save-loop.ts');
      for (let i = 0; i < KILLS * 5; i++) {
        const child = execa('node', ['--import', 'tsx', writer], { reject: false, env: { PMEM_LAB_CONFIG: config } });
        // kill only once the loop is saving, at a random point among its writes
        await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        await new Promise((r) => setTimeout(r, random(0, 200)));
        child.kill('SIGKILL');
        await child;
        count('profile save killed');
        // every version is a whole, valid profile: one repeated letter as its description
        const text = readFileSync(target, 'utf8');
        expect(text).toMatch(/^name: rel-save\ndescription: ([a-z])\1{262143}\nmemory: \{ size: 1G \}\n$/);
        expect(parseProfileYaml(text).ok).toBe(true);
      }
      // a kill between writing and renaming leaves its temporary file beside the target, never in its place
      const strays = readdirSync(dir).filter((f) => f !== 'rel-save.yaml');
      expect(strays.every((f) => /^rel-save\.yaml\.[0-9a-f]{8}\.tmp$/.test(f))).toBe(true);
      injected['temporary files left beside the profile by kills'] = strays.length;
    },
  );
});
