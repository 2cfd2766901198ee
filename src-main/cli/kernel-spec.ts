// pmem-lab kernel's entry in the command table (commands.ts), apart for its
// length: one command with a verb, build or list, then the preset.
import { join } from 'node:path';
import { dataDir } from '../util/paths';
import type { CommandSpec } from './spec';
import { json } from './shared-options';

export const kernel: CommandSpec = {
  name: 'kernel',
  summary: "build the lab's own guest kernels from presets (kernel build PRESET), or list them (kernel list)",
  description:
    "Debian's kernel lacks what some labs need (CONFIG_DEVICE_PRIVATE for HMM), so the lab builds its own from " +
    "Debian's linux-source-6.1 (installed with apt-get when missing, as root) or from your tree (--source): " +
    "make allnoconfig with kernel-presets/base.config, the preset's fragment and yours (--fragment) on top, a " +
    'check that every line of them stuck in .config, then vmlinux and the modules (10 to 13 minutes on 2 cores; ' +
    'progress on stderr). ' +
    `The result goes to ${join(dataDir(), 'kernels')}/PRESET-HASH (vmlinux, lib/modules/RELEASE, config, build.log), ` +
    'keyed by the source and the merged config: the same build again returns at once. ' +
    'A profile boots it with "kernel: { preset: PRESET }" (a --source or --fragment build by its paths); booting ' +
    'never builds. A tree is keyed by its path, kernelversion and git HEAD: commit an edit to build it anew. ' +
    'kernel list shows each preset, whether it is built for the current fragments, its release and size on disk.',
  positional: { name: 'ACTION', required: true, choices: ['build', 'list'], description: 'build or list' },
  second: {
    name: 'PRESET',
    required: false,
    complete: 'presets',
    description: 'a fragment in kernel-presets/: base (the default), hmm, debug, ...; kernel list shows them all',
  },
  options: [
    {
      name: 'source',
      type: 'string',
      value: 'DIR',
      complete: 'dir',
      description: "build: from this kernel tree, out of tree (default: Debian's linux-source-6.1)",
    },
    {
      name: 'fragment',
      type: 'string',
      value: 'FILE',
      complete: 'file',
      description: "build: a Kconfig fragment of yours (CONFIG_NAME=value lines) applied after the preset's",
    },
    { name: 'jobs', type: 'string', value: 'N', description: 'build: make -jN (default: the number of cores)' },
    json(
      'build: print { preset, hash, dir, image, modulesDir, release, seconds, builtAt, cached }; list: print ' +
        '[{ name, description, built?: { ..., bytes } }]',
    ),
  ],
  exitCodes: [
    '0  built (or found built), or listed',
    '2  error: a setting that did not stick in .config, a failed make, a missing tool (each with its fix)',
  ],
  examples: [
    'pmem-lab kernel build hmm',
    'pmem-lab kernel build debug --fragment ~/my.config --jobs 4',
    'pmem-lab kernel build hmm --source ~/src/linux --json',
    'pmem-lab kernel list',
  ],
  load: async () => (await import('./kernel')).kernelCommand,
};
