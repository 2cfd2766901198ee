// Field types shared by the profile's parts (schema.ts, cxl.ts): sizes with
// near-miss hints, QEMU ids.
import { z } from 'zod';
import { alignDown, alignUp, formatSize, parseSize } from '../units';

// The issue's path names the field, so the message does not.
export const size = () =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const bytes = parseSize(v);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: notASize(v) });
      return z.NEVER;
    }
    return bytes;
  });

/** `orNone`: "none" is allowed too (labels). */
export function notASize(v: unknown, orNone = false): string {
  const near = typeof v === 'string' ? nearSize(v) : undefined;
  const hint = near === undefined ? '' : `: write ${formatSize(near)}`;
  const what = orNone ? 'neither "none" nor a size' : 'not a size';
  return `${JSON.stringify(v)} is ${what}${hint} (a size is bytes or a number with K, M, G or T, e.g. 512M)`;
}

/** What a near miss such as "6442450944 bytes" or "1.5G" means, when it is a whole number of bytes. */
function nearSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(bytes?|[KMGT](?:i?B)?)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = m[2] && !/^b/i.test(m[2]) ? parseSize(`1${m[2][0]!}`)! : 1;
  const bytes = Number(m[1]) * unit;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** "1000M or 1002M": the multiples of `align` either side of `bytes`. */
export const multiplesAround = (bytes: number, align: number): string =>
  [alignDown(bytes, align), alignUp(bytes, align)]
    .filter((b) => b > 0)
    .map(formatSize)
    .join(' or ');

/** Identifiers become QEMU ids: letters, digits, '-' and '_' only, so they can never carry sub-options. */
export const qemuId = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
    'use a letter then letters, digits, "-" or "_" (no commas or spaces), at most 32 characters',
  );
