// The kernel's messages as the modelled rules print them, in the kernel's
// words (the `log` dimension, design.md "Fidelity by dimension"). A message
// is appended to the kernel's log without its timestamp.
import type { Kernel } from './state';

export function printk(k: Kernel, message: string): void {
  k.log.push(message);
}

/** The messages the modelled rules print, as patterns over a message without its timestamp. */
export const MODELLED_MESSAGES: readonly RegExp[] = [];

/** Whether a kernel message is one the model predicts: only such real messages count in the `log` dimension. */
export function isModelledMessage(line: string): boolean {
  return MODELLED_MESSAGES.some((m) => m.test(line));
}
