// Guests and channels that get stuck rather than crash: a guest that never
// reaches its shell, a guest command that never returns, the backend itself
// SIGKILLed. Each ends in a clear error within its timeout, with nothing left.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src-main/store/profiles';
import { bootProfile, prepare } from '../../src-main/guest/lab';
import { Vm } from '../../src-main/guest/vm';
import type { Profile } from '../../src-shared/profile/schema';
import { isolateRuntime, leaks, qemuPids, waitFor } from './leaks';

let profile: Profile;

beforeAll(async () => {
  isolateRuntime();
  profile = await loadProfile('dimm-hotplug');
});
afterAll(async () => expect(await leaks()).toEqual({ qemu: [], runtime: [] }));

describe('stuck, not crashed', () => {
  it('a guest whose kernel panics at boot (no init) fails at once, quoting the panic, and leaves nothing', async () => {
    const broken = { ...profile, name: 'no-init', kernelArgs: ['rdinit=/nonexistent'] };
    const p = await prepare(broken, { accel: 'tcg' });
    await expect(bootProfile(broken, p, 30_000)).rejects.toThrow(
      /QEMU exited while booting[^]*Kernel panic - not syncing/,
    );
    expect(await leaks()).toEqual({ qemu: [], runtime: [] });
  });

  /**
   * Boots with a deadline, counting launches; the boot must fail within 3 s of it and leave nothing.
   * A silent guest is relaunched after half the deadline.
   */
  async function bootWithin(
    deadlineMs: number,
    name: string,
    kernelArgs: string[],
  ): Promise<{ error: Error; launches: number }> {
    const p = { ...profile, name, kernelArgs };
    const { kit } = await prepare(p, { accel: 'tcg' });
    let launches = 0;
    const t0 = Date.now();
    const error = await Vm.boot({
      profile: p,
      kit,
      accel: 'tcg',
      readyTimeoutMs: deadlineMs,
      onLaunched: () => launches++,
    }).then(
      () => new Error('the boot succeeded'),
      (e: Error) => e,
    );
    expect(Date.now() - t0).toBeLessThan(deadlineMs + 3000);
    expect(await leaks()).toEqual({ qemu: [], runtime: [] });
    return { error, launches };
  }

  // rdinit=/bin/cat prints nothing at all (the kit's kernel runs quiet); rdinit=/bin/sh prints its prompt and waits
  it(
    'a guest that stays silent is relaunched once, and still ' +
      'fails the boot at the overall timeout, leaving nothing',
    async () => {
      const { error, launches } = await bootWithin(8000, 'silent-init', ['rdinit=/bin/cat']);
      expect(error.message).toMatch(/did not reach its shell within 8000 ms/);
      expect(launches).toBe(2);
    },
  );

  it(
    'a guest that speaks but never reaches its shell is not ' +
      'relaunched: it fails at the timeout, quoting its console',
    async () => {
      // 20 s: the guest must speak within the 10 s silence window even on a loaded CI machine (its first byte
      // comes after about 3 s of TCG boot, and was seen to miss a 4 s window there)
      const { error, launches } = await bootWithin(20_000, 'stuck-init', ['rdinit=/bin/sh']);
      expect(error.message).toMatch(/did not reach its shell within 20000 ms[^]*the guest console printed last/);
      expect(launches).toBe(1);
    },
  );

  it('a guest command that hangs is killed and reported at its timeout, and the channel keeps working', async () => {
    const vm = await bootProfile(profile, await prepare(profile, { accel: 'tcg' }));
    await expect(vm.run('sleep 30', 3000)).rejects.toThrow(/sleep 30.*did not finish within 2 s/);
    expect((await vm.run('echo still here')).output).toBe('still here\n');
    await vm.stop();
    expect(await leaks()).toEqual({ qemu: [], runtime: [] });
  });

  it('the backend killed by SIGKILL takes its QEMU with it (no orphan); the next boot clears its folder', async () => {
    const child = execa('node', ['bin/pmem-lab.js', 'shell', 'dimm-hotplug', '--accel', 'tcg'], {
      stdin: 'pipe',
      reject: false,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    expect(await waitFor(() => out.includes('PMEM Lab guest ready'), 60_000)).toBe(true);
    const [qemu] = await qemuPids();
    expect(qemu).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await child;
    expect(await waitFor(async () => (await qemuPids()).length === 0, 2000)).toBe(true);
    // its runtime folder outlives it, until the next boot sees that its owner is gone
    expect((await leaks()).runtime).toHaveLength(1);
    const next = await bootProfile(profile, await prepare(profile, { accel: 'tcg' }));
    await next.stop();
    expect(await leaks()).toEqual({ qemu: [], runtime: [] });
  });
});
