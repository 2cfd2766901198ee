// A profile naming a preset (kernel: { preset: hmm }) boots that preset's
// build, or says how to build it; booting never builds.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkKernelPaths } from '../../../src-main/backend/kernel-paths';
import { profileKernel } from '../../../src-main/kernel-build/profile-kernel';
import { ProfileSchema } from '../../../src-shared/profile/schema';
import { fakeBuild, installedIdentity } from './fake-build';
import { fakeLab, type FakeLab } from './fake-tree';

let lab: FakeLab;
beforeEach(() => {
  lab = fakeLab();
});
afterEach(() => lab.remove());

describe('a profile naming a preset', () => {
  const profile = (preset: string) =>
    ProfileSchema.parse({ name: 'hmm-lab', memory: { size: '1G' }, kernel: { preset } });

  it('boots its build; an unknown preset, or one not built, names kernel.preset and the fix', async () => {
    await expect(profileKernel(profile('nope').kernel)).rejects.toMatchObject({
      field: 'kernel.preset',
      message: 'kernel.preset: no preset "nope"; presets: base, hmm',
    });
    await expect(profileKernel(profile('hmm').kernel)).rejects.toMatchObject({
      field: 'kernel.preset',
      message: expect.stringMatching(
        /^kernel\.preset: the hmm preset's kernel is not built \(not yet, .* run "pmem-lab kernel build hmm" first/,
      ),
    });
    const { dir } = await fakeBuild({
      preset: 'hmm',
      identity: await installedIdentity(),
      builtAt: '2026-11-01T00:00:00Z',
    });
    expect(await profileKernel(profile('hmm').kernel)).toEqual({
      path: join(dir, 'vmlinux'),
      modules: join(dir, 'lib/modules/6.1.192'),
    });
    expect(await profileKernel('host')).toBeUndefined();
  });

  it("passes the page's kernel path check: a preset is found by name in the lab's own folder", async () => {
    await expect(checkKernelPaths(profile('hmm'), ['/boot'])).resolves.toBeUndefined();
  });
});
