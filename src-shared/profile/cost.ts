// What a guest costs its host (README "Big guests"). QEMU maps the guest's
// RAM without reserving it (memory-backend-ram reserve=off), so the host pays
// only for the pages the guest touches: after boot, mostly the guest kernel's
// struct pages (64 bytes for each 4 KiB page, 1/64 of RAM;
// mm/page_alloc.c memmap_init) on top of QEMU and the booted guest itself.
import type { Profile } from './schema';
import { MiB } from '../units';

/**
 * QEMU under TCG with a booted guest (kernel, initramfs, page cache); README "Big guests" has the measurements.
 * 400 MiB left 5 MB over a 64 GiB guest until the kit grew by the cxl tool (+0.6 MB of initramfs, held twice):
 * the guest then measured 1.2 MB above it, so the base keeps 16 MiB for the kit's growth.
 */
export const QEMU_BASE_RSS = 416 * MiB;
/**
 * sizeof(struct page) / PAGE_SIZE is 1/64 on x86-64; measured, the guest's RSS grows by about 1/60 of its RAM
 * (page tables and per-section data besides the struct pages)
 */
export const STRUCT_PAGE_SHARE = 1 / 60;

/** The host memory a booted, idle guest holds: QEMU's base and the guest's struct pages. */
export function estimatedHostRss(profile: Pick<Profile, 'memory'>): number {
  return QEMU_BASE_RSS + Math.ceil(profile.memory.size * STRUCT_PAGE_SHARE);
}
