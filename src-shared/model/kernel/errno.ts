// How the kernel refuses: a negative errno (include/uapi/asm-generic/errno-base.h,
// errno.h) and, when it prints one, its log line. The model adds the rule in
// words (`Why`); what a tool or the shell prints is the tools layer's business.
import type { Why } from '../why';

export const ENOENT = 2;
export const ENXIO = 6;
export const EBUSY = 16;
export const EEXIST = 17;
export const ENODEV = 19;
export const EINVAL = 22;
export const ENOSPC = 28;
export const ERANGE = 34;
export const EOPNOTSUPP = 95;

/** strerror() as glibc and musl word it, for the errnos the model uses */
const STRERROR: Record<number, string> = {
  [ENOENT]: 'No such file or directory',
  [ENXIO]: 'No such device or address',
  [EBUSY]: 'Device or resource busy',
  [EEXIST]: 'File exists',
  [ENODEV]: 'No such device',
  [EINVAL]: 'Invalid argument',
  [ENOSPC]: 'No space left on device',
  [ERANGE]: 'Numerical result out of range',
  [EOPNOTSUPP]: 'Operation not supported',
};

export function strerror(errno: number): string {
  return STRERROR[errno] ?? `Unknown error ${errno}`;
}

/**
 * A kernel function failed with -errno, for the reason in `why`; `log` is what
 * it printed, if anything, and `device` the device it failed for.
 */
export class KernelError extends Error {
  constructor(
    readonly errno: number,
    readonly why: Why,
    readonly log?: string,
    readonly device?: string,
  ) {
    super(log ?? strerror(errno));
  }
}
