// Where the guest kit's inputs come from: the host's newest kernel and its
// modules (or a user's kernel build), busybox, ndctl and daxctl.
import { constants } from 'node:fs';
import { access, open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { which } from '../util/which';

export interface KernelInput {
  image: string;
  modulesDir: string;
  release: string;
  origin: 'host' | 'build';
}

export class KitInputError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message}\n  fix: ${fix}`);
  }
}

const versionCompare = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The newest /boot/vmlinuz-VERSION that has a /lib/modules/VERSION, readable or not. */
export async function newestHostKernel(
  bootDir = '/boot',
  modulesRoot = '/lib/modules',
): Promise<KernelInput | undefined> {
  const images = (await readdir(bootDir).catch(() => [] as string[]))
    .filter((f) => f.startsWith('vmlinuz-'))
    .sort(versionCompare)
    .reverse();
  for (const img of images) {
    const release = img.slice('vmlinuz-'.length);
    const modulesDir = join(modulesRoot, release);
    if (await exists(modulesDir)) return { image: join(bootDir, img), modulesDir, release, origin: 'host' };
  }
  return undefined;
}

/** The kernel the guest boots by default: the newest host kernel, which must be readable. */
export async function hostKernel(bootDir = '/boot', modulesRoot = '/lib/modules'): Promise<KernelInput> {
  const k = await newestHostKernel(bootDir, modulesRoot);
  if (!k) {
    throw new KitInputError(
      `no kernel with modules found (${bootDir}/vmlinuz-* with ${modulesRoot}/VERSION)`,
      'apt-get install -y --no-install-recommends linux-image-amd64   (or pass --kernel PATH --modules DIR)',
    );
  }
  await mustRead(k.image);
  return k;
}

/** A user's own build: a bzImage or vmlinux plus its installed lib/modules/VERSION folder. */
export async function buildKernel(image: string, modulesDir: string): Promise<KernelInput> {
  const img = resolve(image);
  const mods = resolve(modulesDir);
  await mustRead(img);
  if (!(await exists(join(mods, 'modules.dep')))) {
    throw new KitInputError(
      `${mods} has no modules.dep`,
      `run "make modules_install INSTALL_MOD_PATH=/some/dir" and pass /some/dir/lib/modules/VERSION as --modules`,
    );
  }
  return { image: img, modulesDir: mods, release: basename(mods), origin: 'build' };
}

/** Opening, not access(): root passes access() checks that a 0600 file of another user would fail for others. */
export async function mustRead(path: string): Promise<void> {
  try {
    const fh = await open(path, 'r');
    await fh.close();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      const mode = await stat(path)
        .then((s) => (s.mode & 0o777).toString(8))
        .catch(() => '?');
      throw new KitInputError(
        `cannot read ${path} (mode 0${mode}); some distributions, Ubuntu among them, ship the kernel readable by ` +
          `root only`,
        `sudo chmod 0644 ${path}   (or build the kit once as root, or pass your own --kernel)`,
      );
    }
    if (code === 'ENOENT') throw new KitInputError(`${path} does not exist`, 'check the path');
    throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

export interface GuestTools {
  busybox: string;
  ndctl: string;
  daxctl: string;
  /** the CXL tool, from Debian's ndctl package */
  cxl: string;
}

const TOOL_PACKAGES: Record<keyof GuestTools, string> = {
  busybox: 'busybox-static',
  ndctl: 'ndctl',
  daxctl: 'daxctl',
  cxl: 'ndctl',
};

export async function findGuestTools(): Promise<GuestTools> {
  const found: Partial<GuestTools> = {};
  const missing: string[] = [];
  for (const tool of Object.keys(TOOL_PACKAGES) as (keyof GuestTools)[]) {
    const path = await which(tool);
    if (path) found[tool] = path;
    else missing.push(tool);
  }
  if (missing.length) {
    throw new KitInputError(
      `${missing.join(', ')} not found on the host`,
      `apt-get install -y --no-install-recommends ` +
        `${[...new Set(missing.map((t) => TOOL_PACKAGES[t as keyof GuestTools]))].join(' ')}`,
    );
  }
  return found as GuestTools;
}
