// The kernel model's facade: a guest's memory state computed from its profile
// (the machine in platform/, the guest kernel in kernel/), moved step by step
// by the same actions that drive the real guest: console and lab lines go to
// the tools (tools/), QMP commands to QEMU (platform/). See docs/model.md.
import type { Action } from '../actions/types';
import type { Profile } from '../profile/schema';
import type { IomemLine, Snapshot } from '../snapshot/types';
import { acpiMemoryHotplug } from './kernel/acpi-memhotplug';
import { virtioMemGuest } from './kernel/virtio-mem';
import { bootKernel } from './kernel/boot';
import { KernelError } from './kernel/errno';
import { iomemLines } from './kernel/iomem';
import { kernelSnapshot } from './kernel/snapshot';
import { buildSectionMap, type SectionMap } from './kernel/sparse';
import type { Kernel } from './kernel/state';
import { DEFAULT_KERNEL_RULES, KERNEL_RULES, type KernelRules } from './kernel-rules';
import { buildMachine, type Machine } from './platform/machine';
import { DEFAULT_QEMU } from './platform/qemu-pc';
import { qmpExecute, type QmpAction } from './platform/qmp';
import { QmpError } from './platform/qmp-error';
import { newToolState, runCommand, type ToolState } from './tools/command';
import { exitStatus, shellFailure, ToolFailure } from './tools/failure';
import { why, type Why } from './why';

export type { KernelRules } from './kernel-rules';

export interface StepResult {
  /**
   * what the command printed; absent when the model does not predict it (a
   * read-only command on what it does not model)
   */
  output?: string;
  exitCode: number;
  /** the rules that decided this step's outcome */
  explanations: { rule: string; source: string }[];
  /** the kernel messages the modelled rules printed during the step */
  log: string[];
}

/** QEMU, the guest kernel and the tools' own state. */
export interface ModelState {
  machine: Machine;
  kernel: Kernel;
  tools: ToolState;
}

export interface KernelModel {
  apply(action: Action): StepResult;
  snapshot(): Snapshot;
  explainIomem(): { line: IomemLine; why: Why }[];
  /** sections and their 2 MiB sub-sections, for the memory map */
  sections(): SectionMap;
  readonly state: ModelState;
}

export function createModel(
  profile: Profile,
  opts: { kernel?: KernelRules; qemu?: string; physBits?: number } = {},
): KernelModel {
  const machine = buildMachine(profile, opts.qemu ?? DEFAULT_QEMU, opts.physBits);
  const kernel = bootKernel(machine, KERNEL_RULES[opts.kernel ?? DEFAULT_KERNEL_RULES]);
  const state: ModelState = { machine, kernel, tools: newToolState() };
  return {
    state,
    apply: (action) => apply(state, action),
    snapshot: () => kernelSnapshot(kernel),
    sections: () => buildSectionMap(kernel),
    explainIomem: () => iomemLines(kernel.root).map((l) => ({ line: l.line, why: l.why ?? UNEXPLAINED })),
  };
}

const UNEXPLAINED = why('platform resource', 'firmware');
const QMP_KINDS: readonly Action['kind'][] = ['object-add', 'device-add', 'device-del', 'virtio-mem-resize'];
const isQmp = (a: Action): a is QmpAction => QMP_KINDS.includes(a.kind);

function run(m: ModelState, action: Action): string | undefined {
  if (isQmp(action))
    return qmpExecute(m.machine, action, { ...acpiMemoryHotplug(m.kernel), ...virtioMemGuest(m.kernel) });
  return runCommand(m.kernel, m.tools, action);
}

/** The step's result; the one place a failure becomes an exit status. */
function apply(m: ModelState, action: Action): StepResult {
  const logFrom = m.kernel.log.length;
  return { ...outcome(m, action), log: m.kernel.log.slice(logFrom) };
}

function outcome(m: ModelState, action: Action): Omit<StepResult, 'log'> {
  try {
    const output = run(m, action);
    return { ...(output !== undefined ? { output } : {}), exitCode: 0, explanations: [] };
  } catch (e) {
    // A QMP step whose guest side the kernel refused (the ACPI handler has no tool to word it).
    const f = e instanceof KernelError ? shellFailure(e) : e;
    if (f instanceof ToolFailure) {
      return { output: f.output, exitCode: exitStatus(f.tool, f.errno), explanations: f.why ? [f.why] : [] };
    }
    if (f instanceof QmpError) return { output: f.answer(), exitCode: exitStatus('qmp', 0), explanations: [] };
    throw f;
  }
}
