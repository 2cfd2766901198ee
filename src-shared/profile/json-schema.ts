// The profile's JSON Schema, generated from the zod schema (so editors can
// validate qemu-profiles/*.yaml); qemu-profiles/profile.schema.json is its output.
import { z } from 'zod';
import { ProfileSchema } from './schema';

export function profileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ProfileSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'PMEM Lab QEMU profile',
    description:
      'One guest: machine, CPUs, RAM and hotplug slots, NUMA nodes, NVDIMMs, kernel arguments, accelerator, kernel ' +
      'source. Sizes take K/M/G/T suffixes (binary units).',
  };
}
