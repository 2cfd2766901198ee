// pmem-lab doctor: what the host has and lacks, with the exact fix for each gap.
import { execa } from 'execa';
import { findGuestTools, hostKernel } from '../kit/sources';
import { planModules, readModuleIndex, GUEST_MODULES } from '../kit/modules';
import { qemuBinary } from '../qemu/launcher';
import { prepare, qemuVersion } from '../session/lab';
import { ProfileSchema } from '../../src-shared/profile/schema';
import { which } from '../util/which';

interface Check {
  name: string;
  run: () => Promise<string>;
}

export async function doctor(): Promise<number> {
  let gaps = 0;
  let host: ReturnType<typeof hostKernel> | undefined;
  const kernel = () => (host ??= hostKernel());
  const checks: Check[] = [
    { name: 'QEMU', run: async () => { const bin = await qemuBinary(); return `${bin} ${await qemuVersion(bin)}`; } },
    { name: 'guest kernel', run: async () => { const k = await kernel(); return `${k.image} with ${k.modulesDir}`; } },
    {
      name: 'kernel modules',
      run: async () => {
        const k = await kernel();
        const idx = await readModuleIndex(k.modulesDir);
        const plan = planModules(idx.dep, idx.builtin, GUEST_MODULES);
        return `${plan.load.length} to load, ${plan.builtin.length} built in`;
      },
    },
    { name: 'busybox, ndctl, daxctl', run: async () => Object.values(await findGuestTools()).join(', ') },
    { name: 'busybox is static', run: async () => { const t = await findGuestTools(); const r = await execa('ldd', [t.busybox], { reject: false }); if (!/not a dynamic/.test(r.stdout + r.stderr)) throw new Error(`${t.busybox} is dynamically linked\n  fix: apt-get install -y --no-install-recommends busybox-static`); return 'yes'; } },
    { name: 'depmod', run: async () => (await which('depmod')) ?? Promise.reject(new Error('not found\n  fix: apt-get install -y --no-install-recommends kmod')) },
    { name: 'setpriv (no orphaned QEMU)', run: async () => (await which('setpriv')) ?? Promise.reject(new Error('not found: QEMU may outlive a killed backend\n  fix: apt-get install -y util-linux')) },
    {
      name: 'accelerator',
      run: async () => {
        const { accel: v } = await prepare(ProfileSchema.parse({ name: 'doctor', memory: { size: '256M' } }));
        return `${v.accel}: ${v.reason}${v.cached ? ' (cached)' : ''}`;
      },
    },
  ];
  for (const c of checks) {
    try {
      console.log(`ok    ${c.name}: ${await c.run()}`);
    } catch (e) {
      gaps++;
      console.log(`MISS  ${c.name}: ${(e as Error).message}`);
    }
  }
  console.log(gaps ? `\n${gaps} gap(s): run the fixes above, or "npm run setup" as root to install everything.` : '\nall set');
  return gaps ? 1 : 0;
}
