// Boot progress as the user sees it: the steps to a ready guest, where a
// session is among them, and how long each took. The firmware, kernel and init
// steps are the guest's own milestones (src-main/guest/boot-watch.ts), so a
// slow or stuck boot shows where it is slow.
import type { Phase } from '../../../src-shared/api/contract';

export const BOOT_STEPS: { phase: Phase; label: string; title: string }[] = [
  { phase: 'kit', label: 'guest kit', title: 'the kernel, initramfs and tools the guest boots with (cached)' },
  { phase: 'qemu', label: 'QEMU', title: 'QEMU starting and connecting its console, probe and QMP sockets' },
  { phase: 'firmware', label: 'firmware', title: 'SeaBIOS and the option ROM that loads the kernel' },
  { phase: 'kernel', label: 'kernel', title: 'the kernel booting (quiet: its messages go to the kernel log)' },
  { phase: 'init', label: 'init', title: "the kit's init: modules, then the agent on the probe line" },
  { phase: 'ready', label: 'ready', title: 'the guest shell and the first snapshot' },
];

export type StepState = 'done' | 'active' | 'todo' | 'failed';

/**
 * Each step's state. A step the boot watch never saw (a firmware faster than its poll) still ran: the steps
 * before the current one are done. A crash fails the step it happened in (the last one reached); a stopped
 * guest shows no progress at all, so nothing of it looks like the state of a guest still running.
 */
export function bootProgress(
  phase: Phase | undefined,
  reachedReady: boolean,
  phaseMs: Partial<Record<Phase, number>> = {},
): StepState[] {
  if (phase === 'stopping' || phase === 'stopped') return BOOT_STEPS.map(() => 'todo');
  const last = BOOT_STEPS.map((s) => phaseMs[s.phase] !== undefined).lastIndexOf(true);
  const at = phase === 'crashed' ? last : BOOT_STEPS.findIndex((s) => s.phase === phase);
  if (phase === 'ready' || (reachedReady && phase !== 'crashed')) return BOOT_STEPS.map(() => 'done');
  return BOOT_STEPS.map((_, i) => (i < at ? 'done' : i === at ? (phase === 'crashed' ? 'failed' : 'active') : 'todo'));
}

/** How long each step took (ms), where known: from its start to the next reached step's start (or `now`). */
export function stepDurations(phaseMs: Partial<Record<Phase, number>>, nowMs: number): (number | undefined)[] {
  const starts = BOOT_STEPS.map((s) => phaseMs[s.phase]);
  return starts.map((t, i) => {
    if (t === undefined || BOOT_STEPS[i]!.phase === 'ready') return undefined;
    const next = starts.slice(i + 1).find((x) => x !== undefined);
    return (next ?? nowMs) - t;
  });
}
