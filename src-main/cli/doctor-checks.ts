// What `pmem-lab doctor` checks, one small object per check: to add a check,
// append one to DOCTOR_CHECKS. A check returns its detail (ok), or a
// CheckResult to warn; it throws to report something missing, with the fix
// after "\n  fix: " in the message (as KitInputError and qemuBinary write it).
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { execa } from 'execa';
import type { GuestTools, KernelInput } from '../kit/sources';
import { checkDecompressors } from '../kit/decompressors';
import { planModules, readModuleIndex, GUEST_MODULES } from '../kit/modules';
import { qemuBinary } from '../qemu/launcher';
import type { AccelVerdict } from '../guest/accel';
import type { PrepareOptions, Prepared } from '../guest/lab';
import { qemuVersion } from '../qemu/version';
import { ProfileSchema, type Profile } from '../../src-shared/profile/schema';
import { which } from '../util/which';
import { kernelBuildTools, type BuildTools } from '../kernel-build/host-tools';
import { printKitProgress } from './progress';

export type CheckStatus = 'ok' | 'warn' | 'miss';

/** ok: works; warn: the lab works, degraded; miss: the lab cannot boot until fixed. */
export interface CheckResult {
  status: CheckStatus;
  detail: string;
  fix?: string;
}

/** What checks share: host facts looked up once, progress on stderr, the command's flags. */
export interface DoctorHost {
  kernel(): Promise<KernelInput>;
  tools(): Promise<GuestTools>;
  prepare(profile: Profile, opts: PrepareOptions): Promise<Prepared>;
  kvmAccess(): Promise<KvmAccess>;
  /** the accelerator verdict's cache file, and whether it exists now */
  accelCache: { path: string; exists(): Promise<boolean>; forget(): Promise<void> };
  reprobe: boolean;
  progress(line: string): void;
}

export interface DoctorCheck {
  name: string;
  run(host: DoctorHost): Promise<string | CheckResult>;
}

const missing = (detail: string, fix: string) => new Error(`${detail}\n  fix: ${fix}`);

export const DOCTOR_CHECKS: DoctorCheck[] = [
  {
    name: 'QEMU',
    run: async () => {
      const bin = await qemuBinary();
      return `${bin} ${await qemuVersion(bin)}`;
    },
  },
  {
    name: 'guest kernel',
    run: async (h) => {
      const k = await h.kernel();
      return `${k.image} with ${k.modulesDir}`;
    },
  },
  {
    name: 'kernel modules',
    run: async (h) => {
      const idx = await readModuleIndex((await h.kernel()).modulesDir);
      const plan = planModules(idx.dep, idx.builtin, GUEST_MODULES);
      return `${plan.load.length} to load, ${plan.builtin.length} built in`;
    },
  },
  { name: 'busybox, ndctl, daxctl, cxl', run: async (h) => Object.values(await h.tools()).join(', ') },
  {
    name: 'busybox is static',
    run: async (h) => {
      const { busybox } = await h.tools();
      const r = await execa('ldd', [busybox], { reject: false });
      if (!/not a dynamic/.test(r.stdout + r.stderr))
        throw missing(`${busybox} is dynamically linked`, 'apt-get install -y --no-install-recommends busybox-static');
      return 'yes';
    },
  },
  {
    name: 'depmod',
    run: async () =>
      (await which('depmod')) ?? {
        status: 'warn',
        detail: 'not found: the kit gets no module index, so daxctl in the guest cannot look modules up',
        fix: 'apt-get install -y --no-install-recommends kmod',
      },
  },
  {
    name: 'setpriv (no orphaned QEMU)',
    run: async () =>
      (await which('setpriv')) ?? {
        status: 'warn',
        detail: 'not found: a QEMU may outlive a killed backend',
        fix: 'apt-get install -y util-linux',
      },
  },
  {
    name: 'kernel decompressors',
    run: async () => {
      const r = await checkDecompressors();
      if (r.status === 'miss')
        throw missing(r.detail, r.fix ?? 'apt-get install -y --no-install-recommends xz-utils zstd lz4 bzip2');
      return r.status === 'ok' ? r.detail : r;
    },
  },
  { name: 'kernel build tools', run: async () => kernelBuildResult(await kernelBuildTools()) },
  { name: 'accelerator', run: checkAccelerator },
];

/** A warning at most: the lab boots the host's kernel without them; only `pmem-lab kernel build` needs them. */
export function kernelBuildResult(t: BuildTools): string | CheckResult {
  if (!t.missing.length) return `${t.found.join(', ')}: pmem-lab kernel build can build the lab's own kernels`;
  return {
    status: 'warn',
    detail:
      `no ${t.missing.map((m) => m.what).join(', ')}: pmem-lab kernel build cannot build the lab's own kernels ` +
      `(kernel: { preset: ... } in a profile); the host's kernel boots without them`,
    fix: `apt-get install -y --no-install-recommends ${t.missing.map((m) => m.pkg).join(' ')}`,
  };
}

const PROBE_PROFILE = ProfileSchema.parse({ name: 'doctor', memory: { size: '256M' } });

/**
 * The verdict every boot with `accel: auto` gets; a cold cache
 * builds the kit and test-boots under KVM first, so say so.
 */
async function checkAccelerator(h: DoctorHost): Promise<CheckResult> {
  if (h.reprobe) {
    await h.accelCache.forget();
    h.progress(`forgot the cached accelerator verdict (${h.accelCache.path})`);
  }
  const kvm = await h.kvmAccess();
  const verdictCached = await h.accelCache.exists();
  const { accel } = await h.prepare(PROBE_PROFILE, {
    onProgress: (p) => {
      if (p.stage !== 'cached') printKitProgress(p, (line) => h.progress(line));
      // The verdict is cached per kit: a kit just built, or no verdict at all, means a test boot follows.
      const kitReady = p.stage === 'done' || p.stage === 'cached';
      if (kitReady && kvm === 'usable' && (p.stage === 'done' || !verdictCached))
        h.progress('testing KVM with a short test boot of a guest (up to 6 s)...');
    },
  });
  return accelResult(accel, kvm, h.accelCache.path);
}

export type KvmAccess = 'absent' | 'denied' | 'usable';

/** KVM is ok; TCG works but boots 2-4x slower, so it is a warning with the way to KVM. */
export function accelResult(v: AccelVerdict, kvm: KvmAccess, cachePath: string): CheckResult {
  const where =
    kvm === 'usable' ? ` (${v.cached ? 'cached' : 'tested now, cached'} in ${cachePath}; --reprobe tests again)` : '';
  const detail = `${v.accel}: ${v.reason}${where}`;
  if (v.accel === 'kvm') return { status: 'ok', detail };
  const fix = {
    absent:
      'enable VT-x/AMD-V (or nested virtualization) and load kvm_intel or kvm_amd; until then guests boot under ' +
      'TCG, slower',
    denied: 'sudo usermod -aG kvm $USER, then log in again',
    usable:
      'KVM is unusable on this host (often nested virtualization); guests boot under TCG, slower. Once KVM is ' +
      'fixed: pmem-lab doctor --reprobe',
  }[kvm];
  return { status: 'warn', detail, fix };
}

export async function kvmAccess(): Promise<KvmAccess> {
  if (
    !(await stat('/dev/kvm').then(
      () => true,
      () => false,
    ))
  )
    return 'absent';
  return (await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  ))
    ? 'usable'
    : 'denied';
}
