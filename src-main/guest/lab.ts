// Everything a boot needs before QEMU starts: the kit (built or cached),
// the accelerator verdict and QEMU's version.
import type { Profile } from '../../src-shared/profile/schema';
import { buildKit, type Kit, type KitProgress } from '../kit/build';
import { profileKernel } from '../kernel-build/profile-kernel';
import { buildKernel, hostKernel } from '../kit/sources';
import { qemuBinary } from '../qemu/launcher';
import { qemuVersion } from '../qemu/version';
import { cacheDir } from '../util/paths';
import { chooseAccel, type AccelVerdict } from './accel';
import { Vm } from './vm';

export interface PrepareOptions {
  /** a user's kernel build: image and lib/modules/VERSION folder (overrides the profile's kernel) */
  kernel?: { path: string; modules: string };
  accel?: 'auto' | 'kvm' | 'tcg';
  /** 'cold': neither restore the boot's checkpoint nor save one (default 'use') */
  checkpoint?: 'use' | 'cold';
  onProgress?: (p: KitProgress) => void;
}

export interface Prepared {
  kit: Kit;
  accel: AccelVerdict;
  qemu: string;
  kitMs: number;
  checkpoint: 'use' | 'cold';
}

export async function prepare(profile: Profile, opts: PrepareOptions = {}): Promise<Prepared> {
  const t0 = performance.now();
  const src = opts.kernel ?? (await profileKernel(profile.kernel));
  const kernel = src ? await buildKernel(src.path, src.modules) : await hostKernel();
  const cacheRoot = cacheDir();
  const kit = await buildKit({ kernel, cacheRoot, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const kitMs = Math.round(performance.now() - t0);
  const binary = await qemuBinary();
  const accel = await chooseAccel(opts.accel ?? profile.accel, kit, cacheRoot, binary);
  return { kit, accel, qemu: await qemuVersion(binary), kitMs, checkpoint: opts.checkpoint ?? 'use' };
}

export async function bootProfile(profile: Profile, prepared: Prepared, readyTimeoutMs?: number): Promise<Vm> {
  return Vm.boot({
    profile,
    kit: prepared.kit,
    accel: prepared.accel.accel,
    checkpoint: prepared.checkpoint,
    ...(readyTimeoutMs ? { readyTimeoutMs } : {}),
  });
}
