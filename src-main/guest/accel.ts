// KVM only when a short test boot really reaches the guest: on some hosts
// /dev/kvm exists and opens but the vCPU never runs. The verdict is cached
// per host kernel, QEMU binary, kit and /dev/kvm node.
import { constants } from 'node:fs';
import { access, readFile, rm, stat } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import type { Accel } from '../qemu/argv';
import type { Kit } from '../kit/build';
import { ProfileSchema } from '../../src-shared/profile/schema';
import { writeFileAtomic } from '../util/atomic';
import { Vm } from './vm';

export interface AccelVerdict {
  accel: Accel;
  reason: string;
  cached: boolean;
}

export const KVM_PROBE_MS = 6000;

/** Where the verdict is kept between runs. */
export const accelCachePath = (cacheRoot: string): string => join(cacheRoot, 'accel.json');

/** Drops the cached verdict, so the next auto choice tests KVM again (pmem-lab doctor --reprobe). */
export async function forgetAccelVerdict(cacheRoot: string): Promise<void> {
  await rm(accelCachePath(cacheRoot), { force: true });
}

const PROBE_PROFILE = ProfileSchema.parse({ name: 'accel-probe', cpus: 1, memory: { size: '256M' } });

export async function chooseAccel(
  requested: 'auto' | Accel,
  kit: Kit,
  cacheRoot: string,
  qemuBinary: string,
): Promise<AccelVerdict> {
  if (requested !== 'auto') return { accel: requested, reason: 'asked for by the profile or --accel', cached: false };
  const dev = await stat('/dev/kvm').catch(() => undefined);
  if (!dev) return { accel: 'tcg', reason: 'no /dev/kvm', cached: false };
  if (
    !(await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
      () => true,
      () => false,
    ))
  ) {
    return {
      accel: 'tcg',
      reason: '/dev/kvm is not readable and writable by this user (add yourself to the kvm group)',
      cached: false,
    };
  }
  const qemu = await stat(qemuBinary);
  const key = [release(), qemuBinary, qemu.mtimeMs, kit.hash, dev.rdev, dev.ctimeMs].join('|');
  const file = accelCachePath(cacheRoot);
  const cached = await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as { key: string; accel: Accel; reason: string },
    () => undefined,
  );
  if (cached?.key === key) return { accel: cached.accel, reason: cached.reason, cached: true };

  let verdict: Omit<AccelVerdict, 'cached'>;
  const t0 = performance.now();
  try {
    const vm = await Vm.boot({
      profile: PROBE_PROFILE,
      kit,
      accel: 'kvm',
      readyTimeoutMs: KVM_PROBE_MS,
      relaunchIfSilent: false,
    });
    await vm.stop(1000);
    verdict = { accel: 'kvm', reason: `a KVM test boot reached the guest in ${Math.round(performance.now() - t0)} ms` };
  } catch (e) {
    verdict = {
      accel: 'tcg',
      reason: `/dev/kvm exists but a KVM test boot failed (${(e as Error).message.split('\n')[0]}); using TCG`,
    };
  }
  await writeFileAtomic(file, JSON.stringify({ key, ...verdict }, null, 2));
  return { ...verdict, cached: false };
}
