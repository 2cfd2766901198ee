// How a failed step looks to the user: what the tool (or the shell) prints and
// the exit status it ends with. The kernel refuses with an errno and a rule
// (kernel/errno.ts); the tools word it, and exitStatus is the one place the
// model computes an exit status. The texts are the model's, pinned by the
// recorded outputs of every shipped scenario (docs/model.md "Tools").
import { KernelError, strerror } from '../kernel/errno';
import { ResourceBusyError } from '../kernel/resource';
import type { Why } from '../why';

/**
 * Who ends the step: ndctl's namespace and region commands, ndctl's DIMM
 * commands, daxctl, daxctl finding nothing to do, busybox sh, QEMU's QMP, or
 * the kernel's own line.
 */
export type Tool =
  'ndctl' | 'ndctl-dimm' | 'daxctl' | 'daxctl-nothing-to-do' | 'cxl' | 'cxl-soft' | 'sh' | 'qmp' | 'kernel';

export class ToolFailure extends Error {
  constructor(
    readonly tool: Tool,
    readonly output: string,
    readonly errno: number,
    readonly why?: Why,
  ) {
    super(output);
  }
}

/**
 * The exit status of a failed step:
 * - ndctl's namespace and region commands and daxctl's device commands return
 *   -errno from main, and exit() keeps the low byte (seen: 234 for -EINVAL,
 *   240 for -EBUSY, 250 for -ENXIO; kmem-too-small, memmap-forms);
 * - ndctl's DIMM commands (init-labels) exit EXIT_FAILURE;
 * - daxctl's online-memory and offline-memory return 1 when every block
 *   already is in that state (dev_online_memory, dev_offline_memory);
 * - cxl's region commands exit EXIT_FAILURE, but create-region exits 0 when
 *   the creation itself failed ('cxl-soft': region_action overwrites its rc;
 *   seen in cxl-explore runs: "created 0 regions", status 0);
 * - busybox sh exits 1 when `echo > FILE` fails; a QMP error answer and a step
 *   that ends with the kernel's own line count as 1.
 */
export function exitStatus(tool: Tool, errno: number): number {
  switch (tool) {
    case 'ndctl':
    case 'daxctl':
      return 256 - errno;
    case 'cxl-soft':
      return 0;
    case 'ndctl-dimm':
    case 'daxctl-nothing-to-do':
    case 'cxl':
    case 'sh':
    case 'qmp':
    case 'kernel':
      return 1;
  }
}

/** A conflict in the resource tree shows as the kernel's conflict line, whichever tool asked. */
function conflictLine(e: ResourceBusyError): ToolFailure {
  return new ToolFailure('kernel', `${e.message}\n`, e.errno, e.why);
}

/**
 * A refused sysfs write, by the shell or by daxctl (which writes the same
 * files): busybox's `sh: write error: <strerror>`, or, where the kernel printed
 * a line of its own (kmem's refusals), that line as the model shows it.
 */
export function sysfsWriteFailure(e: KernelError): ToolFailure {
  if (e instanceof ResourceBusyError) return conflictLine(e);
  if (e.log !== undefined) return new ToolFailure('kernel', e.log, e.errno, e.why);
  return new ToolFailure('sh', `sh: write error: ${strerror(e.errno)}\n`, e.errno, e.why);
}

/**
 * A kernel refusal met by the lab's own lines or by a QMP step's guest side:
 * shown the way a failing shell command is, with the kernel's message.
 */
export function shellFailure(e: KernelError): ToolFailure {
  if (e instanceof ResourceBusyError) return conflictLine(e);
  return new ToolFailure('sh', `sh: ${e.log ?? `write error: ${strerror(e.errno)}`}\n`, e.errno, e.why);
}

/** Runs a tool's work, turning a kernel refusal into the tool's failure. */
export function asTool<T>(translate: (e: KernelError) => ToolFailure, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw e instanceof KernelError ? translate(e) : e;
  }
}
