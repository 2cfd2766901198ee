// Where the data of an fsdax or devdax namespace starts (drivers/nvdimm/pfn_devs.c
// nd_pfn_init): an 8 KiB info block, then (map=dev) a 64-byte struct page for
// every 4 KiB page, rounded up to the alignment (at least 2 MiB on x86).

import { alignDown, alignUp } from '../../units';

const SZ_8K = 8192;
const PAGE = 4096;
const STRUCT_PAGE = 64;
export const PFN_MIN_ALIGN = 2 * 1024 * 1024;

/** A layout the model cannot place (not a kernel refusal it models: the step goes out of sync). */
export class PfnError extends Error {}

export function nsToPfnOffset(
  start: number,
  size: number,
  map: 'dev' | 'mem' = 'dev',
  align = PFN_MIN_ALIGN,
): { offset: number; dataSize: number } {
  const a = Math.max(align, PFN_MIN_ALIGN);
  if (start % PFN_MIN_ALIGN !== 0) throw new PfnError(`namespace start 0x${start.toString(16)} is not 2 MiB aligned`);
  const npfns = Math.floor((size - SZ_8K) / PAGE);
  const meta = map === 'dev' ? SZ_8K + STRUCT_PAGE * npfns : SZ_8K;
  const offset = alignUp(start + meta, a) - start;
  const endTrunc = start + size - alignDown(start + size, a);
  if (offset >= size - endTrunc) throw new PfnError('unable to satisfy requested alignment');
  return { offset, dataSize: size - offset - endTrunc };
}
