// QEMU splits option values at commas ("a=b,c=d"); a literal comma is written
// twice. Control characters have no place in a path or id: refuse them.

export class QemuOptionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export function qemuOptValue(field: string, value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (/[\x00-\x1f\x7f]/.test(value))
    throw new QemuOptionError(
      field,
      `contains a control character (newline, tab, ...): ${JSON.stringify(value)}; rename it`,
    );
  if (value === '') throw new QemuOptionError(field, 'is empty');
  return value.replace(/,/g, ',,');
}

/** QEMU options written as key=value pairs, every value escaped. */
export function qemuOpts(field: string, head: string, pairs: Record<string, string | number | undefined>): string {
  const parts = [head];
  for (const [k, v] of Object.entries(pairs)) {
    if (v === undefined) continue;
    parts.push(`${k}=${qemuOptValue(`${field}.${k}`, String(v))}`);
  }
  return parts.join(',');
}

/**
 * For options QEMU does not split at commas in every code path (-kernel, -initrd): refuse commas instead of escaping.
 */
export function qemuPlainPath(field: string, value: string): string {
  qemuOptValue(field, value);
  if (value.includes(','))
    throw new QemuOptionError(
      field,
      `${JSON.stringify(value)} contains a comma, which QEMU would read as a separator; use a path without commas ` +
        `(set PMEM_LAB_CACHE for the kit)`,
    );
  return value;
}
