// The memory block size the kernel picks at boot (block_size_bytes).

import { GiB, MiB } from '../../units';

/**
 * x86-64 (arch/x86/mm/init_64.c probe_memory_block_size): 128 MiB below 64 GiB
 * of boot RAM; in a VM above that, the largest power of two up to 2 GiB that
 * divides the end of boot RAM.
 */
export function memoryBlockSize(bootRamEnd: number): number {
  if (bootRamEnd < 64 * GiB) return 128 * MiB;
  for (let bz = 2 * GiB; bz > 128 * MiB; bz /= 2) if (bootRamEnd % bz === 0) return bz;
  return 128 * MiB;
}
