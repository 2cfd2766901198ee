// The kernel's messages as the modelled rules print them, in the kernel's
// words (the `log` dimension, design.md "Fidelity by dimension"). A message
// is appended to the kernel's log without its timestamp.
import type { Kernel } from './state';

export function printk(k: Kernel, message: string): void {
  k.log.push(message);
}
