// A user's own kernel build goes through --kernel/--modules, compressed as the
// user's build chose (zstd here); a kernel the user cannot read gets an error
// that says so and gives the fix.
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildKernel, hostKernel } from '../../src-main/kit/sources';
import { COMPRESSORS, fakeBzImage, hostVmlinux } from '../unit/kit/images';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A temp root another user can reach: TMPDIR may be a private folder, /tmp is not. */
function reachableTmp(): string {
  const reachable = (p: string): boolean =>
    (statSync(p).mode & 0o001) !== 0 && (p === dirname(p) || reachable(dirname(p)));
  return reachable(tmpdir()) ? tmpdir() : '/tmp';
}

describe('kernel sources', () => {
  it('boots a zstd-compressed kernel build given as --kernel PATH --modules DIR', async () => {
    const host = await hostKernel();
    const dir = mkdtempSync(join(tmpdir(), 'kernel-zstd-'));
    try {
      const { image, elf } = await hostVmlinux();
      const img = join(dir, 'bzImage');
      writeFileSync(img, fakeBzImage(elf, COMPRESSORS.zstd, image));
      const k = await buildKernel(img, host.modulesDir);
      expect(k).toMatchObject({ origin: 'build', release: host.release });
      // A cache of its own, so the kit is built (and the image unpacked) on every run.
      const cache = join(dir, 'cache');
      const r = await execa(
        'node',
        [
          'bin/pmem-lab.js',
          'boot',
          'dimm-hotplug',
          '--json',
          '--accel',
          'tcg',
          '--kernel',
          img,
          '--modules',
          host.modulesDir,
        ],
        {
          reject: false,
          env: { PMEM_LAB_CACHE: cache },
        },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).snapshot.kernel).toBe(host.release);
      const kits = readdirSync(join(cache, 'kit'));
      expect(kits.map((h) => readdirSync(join(cache, 'kit', h)).includes('vmlinux'))).toEqual([true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains an unreadable kernel (mode 0600, as Ubuntu ships it) with the fix', async () => {
    const dir = mkdtempSync(join(reachableTmp(), 'kernel-'));
    try {
      chmodSync(dir, 0o755);
      const img = join(dir, 'vmlinuz-test');
      copyFileSync((await hostKernel()).image, img);
      chmodSync(img, 0o600);
      // Checked as an unprivileged user, since root reads any file. That user
      // may not enter the checkout (a 0700 home or mktemp folder), so the
      // module under test runs bundled, from this folder.
      const script = join(dir, 'must-read.mjs');
      await build({
        stdin: {
          contents:
            `import { mustRead } from './src-main/kit/sources.ts';\nmustRead(process.argv[2]).then(() => ` +
            `console.log('read'), (e) => console.log(e.message));`,
          resolveDir: ROOT,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: script,
        logLevel: 'silent',
      });
      const r = await execa(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script, img],
        { reject: false, cwd: dir, env: { HOME: dir } },
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/cannot read .*vmlinuz-test \(mode 0600\).*Ubuntu/);
      expect(r.stdout).toMatch(/fix: sudo chmod 0644 .*vmlinuz-test/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
