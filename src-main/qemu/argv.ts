// Profile -> QEMU argv. Pure: every path comes in through `paths`, and the
// result is an argv array handed to execa with no shell in between.
import { numaBackendId, nvdimmBackendId, RAM_BACKEND_ID, virtioMemBackendId } from '../../src-shared/profile/backends';
import { nvdimmBackendSize, NVDIMM_BACKEND_ALIGN, type Profile } from '../../src-shared/profile/schema';
import { DEFAULT_QEMU, pcConstants } from '../../src-shared/model/platform/qemu-pc';
import { qemuOpts, qemuOptValue, qemuPlainPath, QemuOptionError } from './escape';
import { cxlArgv, cxlFilePaths, type CxlFiles } from './cxl-argv';

export type Accel = 'kvm' | 'tcg';

export interface VmPaths {
  kernel: string;
  initrd: string;
  consoleSocket: string;
  probeSocket: string;
  qmpSocket: string;
  /** backing file of each NVDIMM, by id */
  nvdimmFiles: Record<string, string>;
  /** backing files of each CXL type-3 device (capacity and label area), by id */
  cxlFiles?: Record<string, CxlFiles>;
  /** shared files for the RAM backends, by backend id, for a guest whose checkpoint is kept (ram-files.ts) */
  ramFiles?: Record<string, string>;
}

/**
 * Arguments the kit adds for itself: the console on ttyS0, a quiet boot, a panic
 * that stops QEMU (reported as a crash), and four that only save boot time under
 * TCG without touching the memory layout: no crypto self-tests (about 0.3 s),
 * no speculation mitigations, and no TSC and timer checks.
 */
export const KIT_KERNEL_ARGS = [
  'console=ttyS0',
  'quiet',
  'panic=-1',
  'cryptomgr.notests',
  'mitigations=off',
  'tsc=reliable',
  'no_timer_check',
];

export function buildQemuArgv(profile: Profile, accel: Accel, paths: VmPaths): string[] {
  const argv: string[] = [];
  const add = (...a: string[]) => argv.push(...a);
  const hasNvdimm = profile.nvdimms.length > 0;
  add('-name', qemuOptValue('name', `pmem-lab-${profile.name}`));
  // Guest RAM costs the host only the pages the guest touches, so a guest may be bigger than the host. With NUMA
  // each node's backend holds that node's RAM instead.
  const ramBackend = profile.numa ? undefined : RAM_BACKEND_ID;
  add(
    '-machine',
    qemuOpts('machine', profile.machine, {
      nvdimm: hasNvdimm ? 'on' : undefined,
      cxl: profile.cxl ? 'on' : undefined,
      'memory-backend': ramBackend,
    }),
  );
  if (profile.pciHole64 !== undefined) {
    const host = pcConstants(DEFAULT_QEMU, profile.machine).pciHost;
    add('-global', `${host}.pci-hole64-size=${profile.pciHole64}`);
  }
  add('-accel', accel);
  // TCG's qemu64 with RDRAND: the kernel then seeds its random pool at boot (CONFIG_RANDOM_TRUST_CPU), as on a
  // real CPU or `-cpu host`. Without it the guest's first getrandom() (ndctl's uuid of a new namespace) blocked
  // until the pool filled: 3 to 5 s of the first create-namespace after each boot or restore under TCG.
  add('-cpu', accel === 'kvm' ? 'host' : 'qemu64,+rdrand');
  add('-smp', String(profile.cpus));
  const { size, slots, maxmem } = profile.memory;
  add(
    '-m',
    qemuOpts('memory', `${size / 1024 / 1024}M`, {
      slots,
      maxmem: maxmem === undefined ? undefined : `${maxmem / 1024 / 1024}M`,
    }),
  );
  const ramObject = (field: string, id: string, bytes: number) => ramBackendObject(field, id, bytes, paths.ramFiles);
  if (ramBackend) add('-object', ramObject('memory', ramBackend, size));
  add('-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot');

  for (const n of profile.numa ?? []) {
    const node: Record<string, string | number | undefined> = { nodeid: n.node };
    if (n.memory > 0) {
      add('-object', ramObject('numa', numaBackendId(n.node), n.memory));
      node.memdev = numaBackendId(n.node);
    }
    let opts = qemuOpts('numa', 'node', node);
    for (const c of n.cpus) opts += `,cpus=${c}`;
    add('-numa', opts);
  }

  profile.nvdimms.forEach((d, i) => {
    const file = paths.nvdimmFiles[d.id];
    if (!file) throw new QemuOptionError(`nvdimms[${i}]`, `no backing file prepared for ${d.id}`);
    add(
      '-object',
      qemuOpts(`nvdimms[${i}]`, 'memory-backend-file', {
        id: nvdimmBackendId(d.id),
        share: 'on',
        'mem-path': file,
        size: nvdimmBackendSize(d),
        align: NVDIMM_BACKEND_ALIGN,
      }),
    );
    add(
      '-device',
      qemuOpts(`nvdimms[${i}]`, 'nvdimm', {
        id: d.id,
        memdev: nvdimmBackendId(d.id),
        'label-size': d.labels === 'none' ? undefined : d.labels,
        node: profile.numa ? d.node : undefined,
      }),
    );
  });

  // after the NVDIMMs: QEMU places memory devices in device memory in the order they are realized; before CXL's
  // pxb-cxl, so that virtio-mem-pci takes the lowest free slots of bus 0
  profile.virtioMem.forEach((d, i) => {
    add('-object', ramObject(`virtioMem[${i}]`, virtioMemBackendId(d.id), d.size));
    add(
      '-device',
      qemuOpts(`virtioMem[${i}]`, 'virtio-mem-pci', {
        id: d.id,
        memdev: virtioMemBackendId(d.id),
        node: profile.numa ? d.node : undefined,
        'requested-size': d.requestedSize,
      }),
    );
  });
  if (profile.cxl) add(...cxlArgv(profile.cxl, paths.cxlFiles ?? {}));

  add('-kernel', qemuPlainPath('kernel', paths.kernel), '-initrd', qemuPlainPath('initrd', paths.initrd));
  add('-append', [...KIT_KERNEL_ARGS, ...profile.kernelArgs].join(' '));
  add(
    '-chardev',
    qemuOpts('console', 'socket', { id: 'console', path: paths.consoleSocket }),
    '-serial',
    'chardev:console',
  );
  add('-chardev', qemuOpts('probe', 'socket', { id: 'probe', path: paths.probeSocket }), '-serial', 'chardev:probe');
  add('-chardev', qemuOpts('qmp', 'socket', { id: 'qmp', path: paths.qmpSocket }), '-mon', 'chardev=qmp,mode=control');
  return argv;
}

/**
 * A RAM backend: anonymous memory mapped MAP_NORESERVE (reserve=off), or, where the boot keeps checkpoints, a
 * shared file on tmpfs, which QEMU's migration leaves to the checkpoint to copy (x-ignore-shared).
 */
function ramBackendObject(field: string, id: string, bytes: number, files?: Record<string, string>): string {
  const size = `${bytes / 1024 / 1024}M`;
  const file = files?.[id];
  if (file === undefined) return qemuOpts(field, 'memory-backend-ram', { id, size, reserve: 'off' });
  return qemuOpts(field, 'memory-backend-file', { id, size, 'mem-path': file, share: 'on' });
}

/** The QEMU command line a profile boots with; kit and runtime paths are placeholders until a boot makes them real. */
export function argvPreview(profile: Profile, accel: Accel = 'tcg'): string[] {
  const run = '$RUN';
  return buildQemuArgv(profile, accel, {
    kernel: '$KIT/vmlinux',
    initrd: '$KIT/initramfs.cpio',
    consoleSocket: `${run}/console.sock`,
    probeSocket: `${run}/probe.sock`,
    qmpSocket: `${run}/qmp.sock`,
    nvdimmFiles: Object.fromEntries(
      profile.nvdimms.map((d) => [
        d.id,
        d.backing === 'persistent' ? `$IMAGES/${profile.name}/${d.id}.img` : `${run}/${d.id}.img`,
      ]),
    ),
    cxlFiles: Object.fromEntries((profile.cxl?.devices ?? []).map((d) => [d.id, cxlFilePaths(run, d.id)])),
  });
}
