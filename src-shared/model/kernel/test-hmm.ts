// lib/test_hmm.c, the HMM test driver: loading it makes two mirror devices,
// hmm_dmirror0 and hmm_dmirror1, each with one 256 MiB chunk of
// device-private memory from request_free_mem_region (dmirror_allocate_chunk);
// unloading it gives the chunks back (dmirror_device_remove:
// memunmap_pages, release_mem_region).
import { hex } from '../../units';
import { memremapDevicePrivate } from './memremap';
import { printk } from './printk';
import { releaseResource, type Resource } from './resource';
import type { Kernel } from './state';

export const TEST_HMM = 'test_hmm';
/** DMIRROR_NDEVICES device-private mirrors made at init (the coherent two need spm_addr_dev0/1) */
const DEVICE_PRIVATE_MIRRORS = 2;
/** DEVMEM_CHUNK_SIZE */
const CHUNK = 256 * 2 ** 20;
const PAGE_SHIFT = 12;

/**
 * hmm_dmirror_init: a chunk per device, in device order, each logged as
 * dmirror_allocate_chunk logs it; a chunk that finds no room undoes the
 * devices made before it (err_chrdev) and the load fails.
 */
export function hmmDmirrorInit(k: Kernel): void {
  const chunks: Resource[] = [];
  for (let id = 0; id < DEVICE_PRIVATE_MIRRORS; id++) {
    let res: Resource;
    try {
      res = memremapDevicePrivate(k, 'hmm_dmirror', CHUNK);
    } catch (e) {
      chunks.forEach(releaseResource);
      throw e;
    }
    chunks.push(res);
    const pfns = `[${hex(res.start / 2 ** PAGE_SHIFT)} ${hex((res.end + 1) / 2 ** PAGE_SHIFT)})`;
    printk(k, `added new ${CHUNK / 2 ** 20} MB chunk (total 1 chunks, ${CHUNK / 2 ** 20} MB) PFNs ${pfns}`);
  }
  printk(k, 'HMM test module loaded. This is only for testing HMM.');
  k.modules.set(TEST_HMM, chunks);
}

/** hmm_dmirror_exit: every chunk released. */
export function hmmDmirrorExit(k: Kernel): void {
  for (const res of k.modules.get(TEST_HMM) ?? []) releaseResource(res);
  k.modules.delete(TEST_HMM);
}
