// Where a lab kernel's source comes from: Debian's linux-source-6.1 (the same
// 6.1 as the guest's Debian kernel), extracted once per package version into
// the cache, or a user's own tree, built out of tree (O=) so it stays untouched.
import { constants } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { KitInputError } from '../kit/sources';
import { cacheDir } from '../util/paths';
import { which } from '../util/which';
import { removeAbandoned } from './lock';
import type { BuildProgress } from './types';

export const SOURCE_PACKAGE = 'linux-source-6.1';
export const SOURCE_TARBALL = `/usr/src/${SOURCE_PACKAGE}.tar.xz`;

export interface SourceTree {
  kind: 'debian' | 'tree';
  /** where make runs (make -C DIR O=...) */
  dir: string;
  /** what the cache key hashes: the package version, or the tree's path, kernelversion and git HEAD */
  identity: string;
}

const exists = (path: string) =>
  access(path, constants.F_OK).then(
    () => true,
    () => false,
  );

/** The installed package's version, without reading or extracting anything; undefined when not installed. */
export async function debianSourceVersion(): Promise<string | undefined> {
  const r = await execa('dpkg-query', ['-W', '-f', '${Status}\t${Version}', SOURCE_PACKAGE], { reject: false });
  const [status, version] = String(r.stdout).split('\t');
  return r.exitCode === 0 && status === 'install ok installed' && version ? version : undefined;
}

export const debianIdentity = (version: string): string => `${SOURCE_PACKAGE} ${version}`;

type Report = (p: BuildProgress) => void;

/** Installs linux-source-6.1 when this process may (root on Debian); otherwise says how. */
async function installSourcePackage(report: Report, signal?: AbortSignal): Promise<void> {
  const debian = (await which('apt-get')) && (await which('dpkg-query'));
  if (!debian)
    throw new KitInputError(
      `${SOURCE_TARBALL} not found, and this is no Debian host to install ${SOURCE_PACKAGE} on`,
      'build from your own kernel tree: pmem-lab kernel build PRESET --source DIR',
    );
  if (process.getuid?.() !== 0)
    throw new KitInputError(
      `${SOURCE_TARBALL} not found: the Debian package ${SOURCE_PACKAGE} is not installed`,
      `sudo apt-get install -y --no-install-recommends ${SOURCE_PACKAGE}   (or build from your own tree: --source DIR)`,
    );
  report({ stage: 'source', detail: `installing ${SOURCE_PACKAGE} with apt-get (about 140 MB)` });
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await execa('apt-get', ['update', '-qq'], { env, ...(signal ? { cancelSignal: signal } : {}) });
  await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', SOURCE_PACKAGE], {
    env,
    ...(signal ? { cancelSignal: signal } : {}),
  });
}

/** Debian's source, installed if need be and extracted once per package version (atomically: tmp, then rename). */
export async function debianSource(report: Report, signal?: AbortSignal): Promise<SourceTree> {
  if (!(await exists(SOURCE_TARBALL))) await installSourcePackage(report, signal);
  const version = await debianSourceVersion();
  if (!version)
    throw new KitInputError(
      `${SOURCE_TARBALL} is there, but dpkg does not list ${SOURCE_PACKAGE} as installed, so its version is unknown`,
      `apt-get install -y --reinstall --no-install-recommends ${SOURCE_PACKAGE}`,
    );
  const root = join(cacheDir(), 'kernel-source');
  const dir = join(root, `${SOURCE_PACKAGE}_${version.replace(/[^A-Za-z0-9.+-]/g, '_')}`);
  const source: SourceTree = { kind: 'debian', dir, identity: debianIdentity(version) };
  if (await exists(join(dir, 'Makefile'))) return source;
  await mkdir(root, { recursive: true });
  await removeAbandoned(root);
  const tmp = `${dir}.tmp.${process.pid}`;
  report({ stage: 'source', detail: `extracting ${SOURCE_TARBALL} ${version} (once per version, about 15 s)` });
  try {
    await mkdir(tmp);
    await execa('tar', ['-xJf', SOURCE_TARBALL, '-C', tmp, '--strip-components=1'], {
      ...(signal ? { cancelSignal: signal } : {}),
    });
    // Another build may have finished the same extraction meanwhile: then its copy stays and this one goes.
    await rename(tmp, dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return source;
}

/**
 * A user's tree given with --source. Kbuild refuses an out-of-tree build of a
 * tree configured in place (its Makefile's "source tree is not clean" check),
 * so that is said first, with the fix.
 */
export async function userTree(given: string): Promise<SourceTree> {
  const dir = resolve(given);
  for (const f of ['Makefile', 'Kconfig', 'arch/x86/Kconfig'])
    if (!(await exists(join(dir, f))))
      throw new KitInputError(
        `--source ${given}: ${dir} is not a Linux source tree (it has no ${f})`,
        'pass the top folder of a kernel tree, the one holding MAINTAINERS and Kconfig',
      );
  for (const f of ['.config', 'include/config', 'arch/x86/include/generated'])
    if (await exists(join(dir, f)))
      throw new KitInputError(
        `--source ${given}: the tree was configured or built in place (it has ${f}), and kbuild builds such a ` +
          `tree only in place, while the lab builds out of tree and never writes into yours`,
        `make -C ${dir} mrproper   (deletes the in-tree .config and build products), then build again`,
      );
  const version = await execa('make', ['-s', '-C', dir, 'kernelversion'], { reject: false });
  if (version.exitCode !== 0 || !String(version.stdout).trim())
    throw new KitInputError(
      `--source ${given}: "make -s kernelversion" failed there: ${String(version.stderr).trim().slice(0, 300)}`,
      'check that make works in that tree',
    );
  const head = await execa('git', ['-C', dir, 'rev-parse', '--verify', '-q', 'HEAD'], { reject: false });
  const commit = head.exitCode === 0 ? ` ${String(head.stdout).trim()}` : '';
  return { kind: 'tree', dir, identity: `tree ${dir} ${String(version.stdout).trim()}${commit}` };
}
