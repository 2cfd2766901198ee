// scripts/setup-host.sh on hosts other than this one: a fake os-release and a
// PATH holding only the package manager of that distribution (no dpkg-query,
// no apt-get), so the script's detection and package names are what is tested.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../scripts/setup-host.sh', import.meta.url));
const RUNTIME_DEBIAN = 'qemu-system-x86 busybox-static ndctl daxctl kmod util-linux xz-utils zstd lz4 bzip2';
/** The script adds a kernel package only when /boot has none. */
const hostHasKernel = readdirSync('/boot').some((f) => f.startsWith('vmlinuz-'));
/**
 * With --test, the kernel build's tools (the fake PATH has none), and its headers, which the script looks for by
 * path outside Debian: listed only when this host lacks them.
 */
const buildTools = (elf: string, libc: string) =>
  ' make gcc flex bison bc' +
  (existsSync('/usr/include/gelf.h') ? '' : ` ${elf}`) +
  (existsSync('/usr/include/stdio.h') ? '' : ` ${libc}`);
/** Debian's kernel source, added on Debian when its tarball is missing. */
const kernelSource = existsSync('/usr/src/linux-source-6.1.tar.xz') ? '' : ' linux-source-6.1';

let root: string;
let bin: string;

beforeEach(() => {
  // A copy of the script in a folder of its own: a node_modules folder and no
  // package-lock.json, so its npm step does nothing.
  root = mkdtempSync(join(tmpdir(), 'setup-'));
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'node_modules'));
  copyFileSync(SCRIPT, join(root, 'scripts', 'setup-host.sh'));
  bin = join(root, 'bin');
  mkdirSync(bin);
  symlinkSync('/usr/bin/dirname', join(bin, 'dirname'));
  // depmod lives in /usr/sbin here, where the script also looks: present on every host this runs on.
  fake('depmod');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fake(name: string, body = 'exit 0'): void {
  writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function setup(osRelease: string, ...args: string[]) {
  writeFileSync(join(root, 'os-release'), osRelease);
  return execa('/bin/bash', [join(root, 'scripts', 'setup-host.sh'), ...args], {
    env: { PATH: bin, PMEM_LAB_OS_RELEASE: join(root, 'os-release') },
    extendEnv: false,
    reject: false,
  });
}

describe('setup-host.sh', () => {
  it('prints the dnf command with Fedora names on Fedora, and fails without a word of dpkg', async () => {
    fake('dnf');
    const kernel = hostHasKernel ? '' : ' kernel-core';
    const runtime = await setup('NAME="Fedora Linux"\nID=fedora\nVERSION_ID=41\n');
    expect(runtime.exitCode).toBe(1);
    expect(runtime.stderr).toContain(
      `  run: dnf install -y qemu-system-x86-core busybox ndctl daxctl util-linux xz zstd lz4 bzip2${kernel}\n`,
    );
    expect(runtime.stderr).toMatch(/the lab was not set up/);
    expect(runtime.stdout + runtime.stderr).not.toMatch(/dpkg|command not found/);
    const withTests = await setup('ID=fedora\n', '--test');
    expect(withTests.stderr).toContain(
      `  run: dnf install -y qemu-system-x86-core busybox ndctl daxctl util-linux xz zstd lz4 bzip2 chromium cpio ` +
        `procps-ng zsh fish libxml2${buildTools('elfutils-libelf-devel', 'glibc-devel')}${kernel}\n`,
    );
  });

  it('finds pacman when os-release names no distribution it knows; names ndctl once (it ships daxctl)', async () => {
    fake('pacman');
    const r = await setup('ID=someos\nID_LIKE="other"\n', '--test');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `  run: pacman -S --needed qemu-system-x86 busybox ndctl util-linux xz zstd lz4 bzip2 chromium cpio ` +
        `procps-ng zsh fish libxml2${buildTools('libelf', 'glibc')}${hostHasKernel ? '' : ' linux'}\n`,
    );
  });

  it('names the commands when there is no package manager it knows', async () => {
    const r = await setup('ID=someos\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        'no apt-get, dnf, pacman, zypper or apk here; install what provides: ' +
          'qemu-system-x86_64 busybox ndctl daxctl setpriv xz zstd lz4 bzip2\n',
      ),
    );
  });

  it.runIf(process.getuid?.() === 0)(
    'installs with apt-get as root on Debian: the runtime packages, and Chromium and the kernel build only with --test',
    async () => {
      fake('dpkg-query', 'exit 1'); // nothing installed
      fake('apt-get', `echo "$*" >> ${join(root, 'apt.log')}`);
      const kernel = hostHasKernel ? '' : ' linux-image-amd64';
      const runtime = await setup('ID=debian\n');
      expect(runtime.exitCode, runtime.stderr).toBe(0);
      const installed = () =>
        readFileSync(join(root, 'apt.log'), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('install'));
      expect(installed()).toEqual([`install -y -qq --no-install-recommends ${RUNTIME_DEBIAN}${kernel}`]);
      rmSync(join(root, 'apt.log'));
      const withTests = await setup('ID=debian\n', '--test');
      expect(withTests.exitCode, withTests.stderr).toBe(0);
      expect(installed()).toEqual([
        `install -y -qq --no-install-recommends ${RUNTIME_DEBIAN} chromium cpio procps zsh fish libxml2-utils make ` +
          `gcc flex bison bc libelf-dev libc6-dev${kernel}${kernelSource}`,
      ]);
    },
  );
});
