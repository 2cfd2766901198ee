// Kernel paths from the page: one answer for every path outside the entitled
// folders, whether it exists or not, links included; inside them, the kit decides.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKernelPaths } from '../../../src-main/backend/kernel-paths';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const base = mkdtempSync(join(tmpdir(), 'pmem-lab-kernels-'));
const root = join(base, 'kernels');
mkdirSync(join(root, 'lib/modules/6.1.0'), { recursive: true });
writeFileSync(join(root, 'vmlinux'), 'ELF');
symlinkSync('/etc/shadow', join(root, 'shadow-link'));
symlinkSync('/etc', join(root, 'etc-link'));
symlinkSync('/nonexistent/elsewhere', join(root, 'dangling'));
const roots = [root];

const profile = (path: string, modules = join(root, 'lib/modules/6.1.0')) =>
  ProfileSchema.parse({ name: 'mine', memory: { size: '1G' }, kernel: { path, modules } });

/** The refusal with the asked-for path taken out: what is left must not depend on the file. */
async function refusal(path: string, modules?: string): Promise<string> {
  try {
    await checkKernelPaths(profile(path, modules), roots);
  } catch (e) {
    return (e as Error).message.replace(`"${path}"`, 'PATH').replace(`"${modules}"`, 'PATH');
  }
  return 'accepted';
}

describe('kernel paths from the page', () => {
  it('gives one answer outside the folders, for files that exist and files that do not', async () => {
    const exists = await refusal('/etc/shadow');
    expect(exists).toMatch(/^kernel\.path: PATH is not in a folder this lab boots kernels from .*--kernel-dir DIR/);
    for (const p of [
      '/root/.ssh/nope',
      '/etc/passwd',
      '/etc',
      'vmlinux',
      '../../etc/shadow',
      `${root}/../outside`,
      join(root, 'shadow-link'),
      join(root, 'etc-link/shadow'),
      join(root, 'etc-link/nope'),
      join(root, 'dangling'),
    ]) {
      expect(await refusal(p), p).toBe(exists);
    }
  });

  it('checks the modules folder the same way', async () => {
    expect(await refusal(join(root, 'vmlinux'), '/etc')).toMatch(/^kernel\.modules: PATH is not in a folder/);
    expect(await refusal(join(root, 'vmlinux'), '/root/nope')).toBe(await refusal(join(root, 'vmlinux'), '/etc'));
  });

  it('lets paths inside the folders through to the kit, existing or not', async () => {
    expect(await refusal(join(root, 'vmlinux'))).toBe('accepted');
    expect(await refusal(join(root, 'not-built-yet'))).toBe('accepted');
    await expect(
      checkKernelPaths(ProfileSchema.parse({ name: 'h', memory: { size: '1G' } }), roots),
    ).resolves.toBeUndefined();
  });
});
