// A profile's `kernel` as the kit takes it: the host's (undefined), a build
// by its paths, or a preset's kernel built before with `pmem-lab kernel build`.
// Booting never starts a build: it takes minutes, and the profile may come
// from the page, which must not be able to make the host compile.
import type { Profile } from '../../src-shared/profile/schema';
import { ProfileError } from '../store/profile-error';
import { findBuiltKernel } from './cache';
import { presetNames } from './presets';

export async function profileKernel(kernel: Profile['kernel']): Promise<{ path: string; modules: string } | undefined> {
  if (kernel === 'host') return undefined;
  if (!('preset' in kernel)) return kernel;
  const names = await presetNames();
  if (!names.includes(kernel.preset))
    throw ProfileError.at('kernel.preset', `no preset "${kernel.preset}"; presets: ${names.join(', ')}`);
  const built = await findBuiltKernel(kernel.preset);
  if (!built)
    throw ProfileError.at(
      'kernel.preset',
      `the ${kernel.preset} preset's kernel is not built (not yet, or not since its fragments or Debian's ` +
        `linux-source-6.1 changed): run ` +
        `"pmem-lab kernel build ${kernel.preset}" first (10 to 13 minutes on 2 cores); presets: ${names.join(', ')}`,
    );
  return { path: built.image, modules: built.modulesDir };
}
