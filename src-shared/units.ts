// Sizes and addresses. Physical addresses stay below 2^52 on x86-64
// (MAX_PHYSMEM_BITS), so plain numbers hold them exactly.

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** An address or size as the kernel prints it with %#x. */
export const hex = (n: number): string => `0x${n.toString(16)}`;

const SUFFIX: Record<string, number> = { '': 1, K: KiB, M: MiB, G: GiB, T: TiB };

/**
 * Parses "512M", "1G", "128K", "4096", "0x200000" or a number, the way ndctl, sysfs and QEMU read sizes (binary units).
 */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (/^\s*0x[0-9a-f]+\s*$/i.test(value)) {
    const n = parseInt(value, 16);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  const m = /^\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(value);
  if (!m) return undefined;
  const bytes = Number(m[1]) * SUFFIX[m[2]!.toUpperCase()]!;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** "1G", "512M", "128K" or plain bytes: the largest unit that divides exactly. */
export function formatSize(bytes: number): string {
  for (const [s, unit] of [
    ['T', TiB],
    ['G', GiB],
    ['M', MiB],
    ['K', KiB],
  ] as const) {
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${s}`;
  }
  return String(bytes);
}

/** A size in a sentence: "6G", "1001M", or "1000001 bytes" when no unit divides it. */
export function sizeWords(bytes: number): string {
  const s = formatSize(bytes);
  return bytes > 0 && s === String(bytes) ? `${s} bytes` : s;
}

export function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

export function alignDown(value: number, align: number): number {
  return Math.floor(value / align) * align;
}
