// Options several commands share (commands.ts): the kernel build, the accelerator, the server's port and caps.
import type { OptionSpec } from './spec';

export const json = (description: string): OptionSpec => ({ name: 'json', type: 'boolean', description });
export const KERNEL: OptionSpec = {
  name: 'kernel',
  type: 'string',
  value: 'PATH',
  complete: 'file',
  description: 'boot your own kernel build (a bzImage or vmlinux); goes with --modules',
};
export const MODULES: OptionSpec = {
  name: 'modules',
  type: 'string',
  value: 'DIR',
  complete: 'dir',
  description: 'its lib/modules/VERSION folder, from make modules_install INSTALL_MOD_PATH=...; goes with --kernel',
};
export const ACCEL: OptionSpec = {
  name: 'accel',
  type: 'string',
  value: 'ACCEL',
  choices: ['auto', 'kvm', 'tcg'],
  description: "the accelerator, overriding the profile's: auto uses KVM only when a test boot reaches the guest",
};
export const COLD: OptionSpec = {
  name: 'cold',
  type: 'boolean',
  description: "boot cold: neither restore the profile's checkpoint nor save one (pmem-lab checkpoints)",
};
export const PORT: OptionSpec = {
  name: 'port',
  type: 'string',
  value: 'N',
  description: 'the TCP port on 127.0.0.1 (default 0: a free one)',
};
export const MAX_GUESTS: OptionSpec = {
  name: 'max-guests',
  type: 'string',
  value: 'N',
  description: 'run at most N guests at once (default: two per core, one per 2 GiB of memory; or PMEM_LAB_MAX_GUESTS)',
};
export const KERNEL_DIR: OptionSpec = {
  name: 'kernel-dir',
  type: 'string',
  value: 'DIR[:DIR...]',
  complete: 'dir',
  description:
    'folders the app may boot kernel builds from, besides /boot, /lib/modules and ~/.local/share/pmem-lab/kernels ' +
    '(or PMEM_LAB_KERNEL_DIRS)',
};
export const JUNIT: OptionSpec = {
  name: 'junit',
  type: 'string',
  value: 'FILE.xml',
  complete: 'file',
  description:
    'also write JUnit XML: a test case per step (the boot too) with its fidelity by dimension, a failure ' +
    'with the differences, an error where the guest failed',
};
