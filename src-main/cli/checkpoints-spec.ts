// pmem-lab checkpoints's entry in the command table (commands.ts), apart for its
// length: one command with a verb, list or clear.
import type { CommandSpec } from './spec';
import { json } from './shared-options';

export const checkpoints: CommandSpec = {
  name: 'checkpoints',
  summary: 'the saved guests that boots restore: list them, or clear them',
  description:
    "A cold boot that reaches its prompt saves the guest (QEMU's migration stream, the console, sparse copies of " +
    'its throw-away NVDIMM and CXL files); the next boot with the same key (kit, QEMU binary and version, the ' +
    'argv, the persistent images) restores it in a fraction of the time. A checkpoint that does not match or fails ' +
    'its checksum is never used. All of them together stay under 8 GiB (PMEM_LAB_CHECKPOINT_BYTES), the least ' +
    'recently used going first.',
  positional: { name: 'VERB', required: true, choices: ['list', 'clear'], description: 'list or clear' },
  options: [
    json('print [{ key, profile, created, lastUsed, stateBytes, diskBytes, saveMs }] (list)'),
    { name: 'profile', type: 'string', value: 'NAME', description: "clear only this profile's checkpoints" },
  ],
  exitCodes: ['0  listed or cleared', '2  usage error'],
  examples: ['pmem-lab checkpoints list', 'pmem-lab checkpoints clear --profile dimm-hotplug'],
  load: async () => (await import('./checkpoints')).checkpointsCommand,
};
