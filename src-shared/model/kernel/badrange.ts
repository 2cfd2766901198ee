// Media errors of persistent memory (drivers/nvdimm/badrange.c): the lab
// injects them per namespace (QEMU cannot poison an NVDIMM), kmem would online
// them, and clearing them is what address range scrub would do.
import type { Kernel } from './state';

export type BadRange = { start: number; length: number };

/** Records a bad range at an absolute address; returns how many the namespace has. */
export function badrangeAdd(k: Kernel, namespace: string, range: BadRange): number {
  const list = k.badblocks.get(namespace) ?? [];
  list.push(range);
  k.badblocks.set(namespace, list);
  return list.length;
}

/** Namespaces with bad ranges: every one for "all". */
export function badrangeNamespaces(k: Kernel, target: string): string[] {
  return target === 'all' ? [...k.badblocks.keys()] : [target];
}

export function badrangeCount(k: Kernel, namespaces: string[]): number {
  let n = 0;
  for (const name of namespaces) n += k.badblocks.get(name)?.length ?? 0;
  return n;
}

export function badrangeClear(k: Kernel, namespaces: string[]): void {
  for (const name of namespaces) k.badblocks.delete(name);
}

/** Bad ranges inside [start, end]: what kmem would online as poisoned memory. */
export function badrangesIn(k: Kernel, start: number, end: number): BadRange[] {
  return [...k.badblocks.values()].flat().filter((b) => b.start <= end && b.start + b.length - 1 >= start);
}
