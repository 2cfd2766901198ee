// What ndctl's commands share (ndctl/namespace.c, ndctl/region.c): finding
// devices by name, the uuids it writes into labels, and how it words a
// namespace the kernel would not enable.
import { ENXIO, strerror, type KernelError } from '../kernel/errno';
import { regionFind, type Region } from '../kernel/region';
import { ResourceBusyError } from '../kernel/resource';
import type { Kernel } from '../kernel/state';
import { why, type Why } from '../why';
import { shellFailure, ToolFailure } from './failure';

/** ndctl's own state in the model: uuid_generate, made deterministic; the label version it wrote, by region id. */
export interface NdctlState {
  uuidCounter: number;
  labelVersions: Map<number, LabelVersion>;
}

/** init-labels writes v1.1 label indexes by default, create-namespace's autolabel v1.2 (ndctl/dimm.c, namespace.c) */
export type LabelVersion = '1.1' | '1.2';

export function uuidGenerate(t: NdctlState): string {
  const n = (t.uuidCounter++).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${n}`;
}

/** ndctl's refusal: its message, and the errno it returns from main. */
export const ndctlFailure = (output: string, errno: number, rule: Why) => new ToolFailure('ndctl', output, errno, rule);

export function findRegion(k: Kernel, name: string): Region {
  const r = regionFind(k, name);
  if (!r) {
    throw ndctlFailure(
      `error: region ${name} not found\n`,
      ENXIO,
      why('no such region on the nd bus', 'ndctl/region.c'),
    );
  }
  return r;
}

/** A namespace the kernel's driver would not take: "failed to enable NAME: <strerror>". */
export function ndctlKernelFailure(e: KernelError): ToolFailure {
  if (e.device === undefined || e instanceof ResourceBusyError) return shellFailure(e);
  return ndctlFailure(`failed to enable ${e.device}: ${strerror(e.errno)}\n`, e.errno, e.why);
}
