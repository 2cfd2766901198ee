// Where the data of an fsdax or devdax namespace starts (drivers/nvdimm/pfn_devs.c
// nd_pfn_init): an 8 KiB info block, then (map=dev, "pmem") a 64-byte struct page
// for every 4 KiB page, or (map=mem, "ram") nothing more, rounded up to the
// device's alignment (at least memremap_compat_align(), 2 MiB on x86).

import { alignDown, alignUp } from '../../units';
import { why } from '../why';
import { EINVAL, ENXIO, KernelError } from './errno';

const SZ_8K = 8192;
const PAGE = 4096;
const STRUCT_PAGE = 64;
/** memremap_compat_align(): SUBSECTION_SIZE on x86 */
const PFN_MIN_ALIGN = 2 * 1024 * 1024;
/** nd_pfn_default_alignment(): PMD_SIZE with transparent huge pages */
export const PFN_DEFAULT_ALIGN = PFN_MIN_ALIGN;

/** Where the page map lives: on the device ("pmem", ndctl -M dev) or in System RAM ("ram", -M mem). */
export type PfnMap = 'dev' | 'mem';

/**
 * nd_pfn_supported_alignments: a page, a PMD and a PUD (1 GiB, offered by the
 * 6.1 guest under TCG's qemu64 too: -a 1G passes ndctl's check there).
 */
export const PFN_SUPPORTED_ALIGNMENTS = [PAGE, PFN_MIN_ALIGN, 2 ** 30];

/**
 * nd_pfn_init: the data offset and usable size. A start off memremap_compat_align
 * is refused (-EINVAL); metadata that leaves no room for aligned data is refused
 * with "unable to satisfy requested alignment" (-ENXIO). `device` names the
 * pfn/dax device in the kernel's message.
 */
export function nsToPfnOffset(
  ns: { name: string; start: number; size: number; map: PfnMap; align: number },
  device: string,
): { offset: number; dataSize: number } {
  const { name, start, size } = ns;
  const a = Math.max(ns.align, PFN_MIN_ALIGN);
  const source = 'drivers/nvdimm/pfn_devs.c:nd_pfn_init';
  if (start % PFN_MIN_ALIGN !== 0) {
    const log = `${device}: ${name}: start 0x${start.toString(16)} misaligned to 0x${PFN_MIN_ALIGN.toString(16)}`;
    throw new KernelError(EINVAL, why('a pfn/dax namespace must start on a 2 MiB boundary', source), log, name);
  }
  const npfns = Math.floor((size - SZ_8K) / PAGE);
  const meta = ns.map === 'dev' ? SZ_8K + STRUCT_PAGE * npfns : SZ_8K;
  const offset = alignUp(start + meta, a) - start;
  const endTrunc = start + size - alignDown(start + size, a);
  if (offset + endTrunc >= size) {
    const rule =
      `with align 0x${a.toString(16)} the info block${ns.map === 'dev' ? ' and page map' : ''}` +
      ` (0x${offset.toString(16)} bytes) leave no data in ${name}`;
    throw new KernelError(ENXIO, why(rule, source), `${device}: ${name} unable to satisfy requested alignment`, name);
  }
  return { offset, dataSize: size - offset - endTrunc };
}
