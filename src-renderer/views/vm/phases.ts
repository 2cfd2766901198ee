// Boot progress as the user sees it: the four steps to a ready guest and where a session is among them.
import type { Phase } from '../../../src-shared/api/contract';

export const BOOT_STEPS: { phase: Phase; label: string }[] = [
  { phase: 'kit', label: 'guest kit' },
  { phase: 'qemu', label: 'QEMU start' },
  { phase: 'kernel', label: 'kernel' },
  { phase: 'ready', label: 'ready' },
];

export type StepState = 'done' | 'active' | 'todo' | 'failed';

export function bootProgress(phase: Phase | undefined, reachedReady: boolean): StepState[] {
  const at = BOOT_STEPS.findIndex((s) => s.phase === phase);
  if (phase === 'crashed' && !reachedReady) return BOOT_STEPS.map(() => 'failed');
  if (at < 0) return BOOT_STEPS.map(() => (reachedReady ? 'done' : 'todo'));
  return BOOT_STEPS.map((_, i) => (i < at || phase === 'ready' ? 'done' : i === at ? 'active' : 'todo'));
}
