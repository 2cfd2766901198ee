// A user's own kernel build goes through --kernel/--modules; a kernel the
// user cannot read gets an error that says so and gives the fix.
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildKernel, hostKernel } from '../../src-main/kit/sources';

describe('kernel sources', () => {
  it('boots a kernel build given as --kernel PATH --modules DIR', async () => {
    const host = await hostKernel();
    const k = await buildKernel(host.image, host.modulesDir);
    expect(k).toMatchObject({ origin: 'build', release: host.release });
    const r = await execa('node', ['bin/pmem-lab.js', 'boot', 'dimm-hotplug', '--json', '--accel', 'tcg', '--kernel', host.image, '--modules', host.modulesDir], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).snapshot.kernel).toBe(host.release);
  });

  it('explains an unreadable kernel (mode 0600, as Ubuntu ships it) with the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kernel-'));
    try {
      const img = join(dir, 'vmlinuz-test');
      copyFileSync((await hostKernel()).image, img);
      chmodSync(img, 0o600);
      chmodSync(dir, 0o755);
      // Checked as an unprivileged user, since root reads any file.
      const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', '--import', 'tsx', '-e',
        `import('./src-main/kit/sources.ts').then((m) => m.mustRead(${JSON.stringify(img)})).then(() => console.log('read'), (e) => console.log(e.message))`], { reject: false, env: { HOME: dir } });
      expect(r.stdout).toMatch(/cannot read .*vmlinuz-test \(mode 0600\).*Ubuntu/);
      expect(r.stdout).toMatch(/fix: sudo chmod 0644 .*vmlinuz-test/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
