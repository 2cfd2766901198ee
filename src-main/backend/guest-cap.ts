// How many guests one backend runs at once. Under TCG each busy guest keeps a
// host core busy, and each holds its RAM and QEMU's own (about 370 MB for a
// 2 GiB guest, bench/results.json app_rss_mb): past a few per core or one per
// 2 GiB of host memory, a page (or anyone holding the token) could only make
// the host swap or starve. The user may set another cap.
import { availableParallelism, totalmem } from 'node:os';

const GiB = 2 ** 30;

export interface GuestCap {
  max: number;
  /** where the number comes from, for the refusal */
  why: string;
}

export function defaultGuestCap(cores = availableParallelism(), memBytes = totalmem()): GuestCap {
  const byCores = 2 * cores;
  const byMemory = Math.floor(memBytes / (2 * GiB));
  return {
    max: Math.max(1, Math.min(byCores, byMemory)),
    why: `two per core (${cores}) and one per 2 GiB of host memory (${Math.round(memBytes / GiB)} GiB)`,
  };
}

/** The cap: PMEM_LAB_MAX_GUESTS (set by --max-guests too) when set, else derived from the host. */
export function guestCap(
  configured: string | number | undefined = process.env.PMEM_LAB_MAX_GUESTS,
  source = 'PMEM_LAB_MAX_GUESTS',
): GuestCap {
  if (configured === undefined || configured === '') return defaultGuestCap();
  const n = Number(configured);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`${source}: "${configured}" is not a whole number from 1 to 256`);
  return { max: n, why: 'set by --max-guests or PMEM_LAB_MAX_GUESTS' };
}
