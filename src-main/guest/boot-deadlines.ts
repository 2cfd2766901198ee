// How long a boot may take before the lab gives up on it, or relaunches a
// guest that never spoke.
import type { Profile } from '../../src-shared/profile/schema';
import { GiB } from '../../src-shared/units';

/**
 * A booting guest prints its first byte within about 3 s under TCG on this
 * class of machine. About one TCG boot in a couple of thousand never does:
 * the vCPU idles with nothing pending and neither serial line ever speaks
 * (docs/reliability.md). Such a guest is relaunched once, within the same
 * overall ready deadline.
 */
export const SILENT_BOOT_MS = 20_000;
const READY_TIMEOUT_MS = 60_000;
/**
 * A big guest's kernel initializes its struct pages (1/64 of its RAM) before
 * init prints anything: under TCG a 256 GiB guest stays silent for over 20 s
 * on a busy host. Both deadlines grow by this much per GiB of RAM above 4 GiB.
 */
const BIG_GUEST_MS_PER_GIB = 250;

/** How much longer a guest this big may take, on top of either deadline. */
export const bigGuestMs = (p: Profile) => (Math.max(0, p.memory.size - 4 * GiB) / GiB) * BIG_GUEST_MS_PER_GIB;

/** The deadline for the whole boot, to the ready agent. */
export const readyDeadlineMs = (o: { profile: Profile; readyTimeoutMs?: number }) =>
  o.readyTimeoutMs ?? READY_TIMEOUT_MS + bigGuestMs(o.profile);
