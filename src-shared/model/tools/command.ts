// The tools layer: console lines (ndctl, daxctl, sysfs writes in the shell)
// and the lab's own lines, carried out on the kernel and worded as each tool
// words its result and its failures (failure.ts).
import type { Action } from '../../actions/types';
import { EOPNOTSUPP } from '../kernel/errno';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { asTool, shellFailure, sysfsWriteFailure, ToolFailure } from './failure';
import { createRegion } from './cxl-create';
import { regionCommand } from './cxl-region';
import { offlineMemory, onlineMemory, reconfigureDevice } from './daxctl';
import { addMemoryAt, devicePrivate, injectBadblocks } from './lab';
import { ndctlKernelFailure, type NdctlState } from './ndctl';
import { createNamespace, destroyNamespace, setNamespaceEnabled } from './ndctl-namespace';
import { clearErrors, initLabels, setRegionEnabled } from './ndctl-region';
import { moduleCommand } from './modprobe';
import { readOnly } from './read-only';
import { sysfsWrite } from './sysfs';

/** The tools' own state. */
export type ToolState = NdctlState;

export function newToolState(): ToolState {
  return { uuidCounter: 1, labelVersions: new Map() };
}

/**
 * One console or lab line; its output (undefined: a read-only line whose
 * output is not predicted), or a ToolFailure.
 */
export function runCommand(k: Kernel, t: ToolState, a: Action): string | undefined {
  const ndctl = (work: () => string) => asTool(ndctlKernelFailure, work);
  const daxctl = (work: () => string) => asTool(sysfsWriteFailure, work);
  const lab = (work: () => string) => asTool(shellFailure, work);
  switch (a.kind) {
    case 'create-namespace':
      return ndctl(() => createNamespace(k, t, a));
    case 'destroy-namespace':
      return ndctl(() => destroyNamespace(k, a));
    case 'namespace-enable':
      return ndctl(() => setNamespaceEnabled(k, a));
    case 'region-enable':
      return ndctl(() => setRegionEnabled(k, a));
    case 'init-labels':
      return ndctl(() => initLabels(k, t, a));
    case 'clear-errors':
      return ndctl(() => clearErrors(k, a));
    case 'reconfigure-device':
      return daxctl(() => reconfigureDevice(k, a));
    case 'online-memory':
      return daxctl(() => onlineMemory(k, a));
    case 'offline-memory':
      return daxctl(() => offlineMemory(k, a));
    case 'block-state':
    case 'auto-online':
    case 'region-align':
    case 'dax-driver':
      return asTool(sysfsWriteFailure, () => sysfsWrite(k, a));
    case 'cxl-create-region':
      return createRegion(k, a);
    case 'cxl-region':
      return regionCommand(k, a);
    case 'read-only':
      return readOnly(k, t, a);
    case 'module':
      return moduleCommand(k, a);
    case 'device-private':
      return lab(() => devicePrivate(k, a));
    case 'add-memory':
      return lab(() => addMemoryAt(k, a));
    case 'inject-badblocks':
      return lab(() => injectBadblocks(k, a));
    default:
      throw new ToolFailure(
        'sh',
        `sh: ${a.kind} is not modelled yet\n`,
        EOPNOTSUPP,
        why('not modelled', 'src-shared/model'),
      );
  }
}
