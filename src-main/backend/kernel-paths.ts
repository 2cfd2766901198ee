// A profile saved from the page may name a kernel build by path. The page is
// not the user: it may boot kernels only from folders the user entitled, and a
// path outside them gets one answer whether or not the file exists, so the
// page cannot probe the host's files (/etc/shadow vs /root/.ssh/nope). Inside
// the folders, the kit's own messages (missing, unreadable) are the user's.
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { Profile } from '../../src-shared/profile/schema';
import { ProfileError } from '../store/profile-error';
import { dataDir } from '../util/paths';

/**
 * Where kernels may come from: the host's own, the lab's kernels folder,
 * and folders the user adds (--kernel-dir, PMEM_LAB_KERNEL_DIRS).
 */
export function kernelRoots(
  extra: readonly string[] = (process.env.PMEM_LAB_KERNEL_DIRS ?? '').split(':').filter(Boolean),
): string[] {
  return ['/boot', '/lib/modules', '/usr/lib/modules', join(dataDir(), 'kernels'), ...extra.map((d) => normalize(d))];
}

const inside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The path with its symlinks resolved. A path that does not exist resolves
 * through its nearest existing folder (so a linked folder cannot lead outside
 * unseen); a dangling link gives undefined.
 */
async function resolved(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    if (
      await lstat(path).then(
        (s) => s.isSymbolicLink(),
        () => false,
      )
    )
      return undefined;
    const parent = dirname(path);
    if (parent === path) return path;
    const dir = await resolved(parent);
    return dir === undefined ? undefined : join(dir, basename(path));
  }
}

async function entitled(path: string, roots: readonly string[]): Promise<boolean> {
  if (!isAbsolute(path)) return false;
  const lexical = normalize(path);
  if (!roots.some((r) => inside(lexical, r))) return false;
  const real = await resolved(lexical);
  if (real === undefined) return false;
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => r)));
  return realRoots.some((r) => inside(real, r));
}

/** Throws the same ProfileError for every path outside the roots, before anything reads it. */
export async function checkKernelPaths(profile: Profile, roots: readonly string[]): Promise<void> {
  // A preset names a kernel the lab built into its own kernels folder, found by name, never by a path the page wrote.
  if (profile.kernel === 'host' || 'preset' in profile.kernel) return;
  for (const [key, path] of [
    ['path', profile.kernel.path],
    ['modules', profile.kernel.modules],
  ] as const) {
    if (!(await entitled(path, roots))) {
      throw ProfileError.at(
        `kernel.${key}`,
        `"${path}" is not in a folder this lab boots kernels from (${roots.join(', ')}); copy the build into one, ` +
          `or start the lab with --kernel-dir DIR`,
      );
    }
  }
}
