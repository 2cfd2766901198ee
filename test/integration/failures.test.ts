// What happens when things go wrong: QEMU killed mid-snapshot, a command that
// hangs, the backend killed, a guest that never boots. Nothing may be left.
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { boot, stopAll } from './helpers';
import { loadProfile } from '../../src-main/session/profiles';
import { bootProfile, prepare } from '../../src-main/session/lab';

afterEach(stopAll);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function qemuPids(): Promise<number[]> {
  const r = await execa('pgrep', ['-f', 'qemu-system-x86_64 .*pmem-lab-'], { reject: false });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

describe('failures', () => {
  it('QEMU killed mid-snapshot: the snapshot fails, the VM is crashed with the reason within 1 s, nothing is left', async () => {
    const vm = await boot('nvdimm-1g-labels');
    const pid = vm.pid!;
    const snap = vm.snapshot();
    process.kill(pid, 'SIGKILL');
    const t0 = Date.now();
    await expect(snap).rejects.toThrow(/probe channel closed|QEMU exited/);
    expect(await waitFor(() => vm.state === 'crashed', 1000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(vm.reason).toMatch(/SIGKILL/);
    await vm.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(vm.runDir)).toBe(false);
    await expect(vm.snapshot()).rejects.toThrow(/crashed/);
    // The next boot works.
    const again = await boot('nvdimm-1g-labels');
    expect((await again.snapshot()).iomem).toContain('Persistent Memory');
  });

  it('a guest command that hangs is killed and reported, and the channel keeps working', async () => {
    const vm = await boot('dimm-hotplug');
    await expect(vm.run('sleep 30', 3000)).rejects.toThrow(/sleep 30.*did not finish within 2 s/);
    expect((await vm.run('echo still here')).output).toBe('still here\n');
  });

  it('a guest that never reaches its shell fails the boot with a timeout, and leaves nothing', async () => {
    const profile = { ...(await loadProfile('dimm-hotplug')), name: 'no-init', kernelArgs: ['rdinit=/nonexistent'] };
    const p = await prepare(profile, { accel: 'tcg' });
    const before = await qemuPids();
    await expect(bootProfile(profile, p, 8000)).rejects.toThrow(/did not reach its shell within 8000 ms|QEMU exited while booting/);
    expect(await qemuPids()).toEqual(before);
  });

  it('the backend killed with SIGKILL takes its QEMU with it (no orphan)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orphan-'));
    try {
      const child = execa('node', ['bin/pmem-lab.js', 'shell', 'dimm-hotplug', '--accel', 'tcg'], { stdin: 'pipe', reject: false, env: { PMEM_LAB_RUN: dir } });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      expect(await waitFor(() => out.includes('PMEM Lab guest ready'), 60_000)).toBe(true);
      const [qemu] = (await execa('pgrep', ["-f", `qemu-system-x86_64 .*pmem-lab-dimm-hotplug.*${dir}`], { reject: false })).stdout.split('\n').filter(Boolean).map(Number);
      expect(qemu).toBeGreaterThan(0);
      child.kill('SIGKILL');
      await child;
      expect(await waitFor(() => !alive(qemu!), 2000)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
