// The CXL tab's forms as console lines (ndctl's cxl tool, cxl/region.c): a
// pmem region created on a root decoder from memdevs, and an existing region
// enabled, disabled or destroyed. cxl reads sizes itself, so they go as typed.
import { checkSize, runLine, words, type Built } from './action-lines';

export interface CreateRegionForm {
  /** the root decoder, decoder0.N: one per fixed memory window */
  decoder: string;
  memdevs: string[];
  size: string;
  granularity: string;
}

export type RegionOp = 'enable' | 'disable' | 'destroy';
export const REGION_OPS: readonly RegionOp[] = ['enable', 'disable', 'destroy'];

/** `cxl create-region -d decoder0.N -t pmem -m memX ...`: the ways are the memdevs' count, as cxl sets them. */
export function createRegionLine(f: CreateRegionForm): Built {
  if (!/^decoder\d+\.\d+$/.test(f.decoder)) return { ok: false, error: 'root decoder: pick a window (decoder0.N)' };
  if (!f.memdevs.length) return { ok: false, error: 'memdevs: pick at least one memdev' };
  const err = checkSize('size', f.size);
  if (err) return { ok: false, error: err };
  const g = f.granularity.trim();
  if (g && !/^\d+$/.test(g)) return { ok: false, error: `granularity: "${g}" is not a number of bytes (e.g. 256)` };
  return runLine(
    words(
      `cxl create-region -d ${f.decoder} -t pmem`,
      f.size.trim() && `-s ${f.size.trim()}`,
      g && `-g ${g}`,
      `-m ${f.memdevs.join(' ')}`,
    ),
  );
}

/** enable-, disable- or destroy-region; only destroy takes -f (an enabled region is not destroyed without it). */
export function regionOpLine(op: RegionOp, region: string, force: boolean): Built {
  if (!/^region\d+$/.test(region)) return { ok: false, error: 'region: pick a CXL region such as region0' };
  return runLine(words(`cxl ${op}-region`, op === 'destroy' && force && '-f', region));
}
