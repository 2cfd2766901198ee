// What the model shows that the stock guest cannot: device-private (HMM)
// memory, a driver's add_memory at a chosen range, and media errors.
import type { Action } from '../actions/types';
import { IORESOURCE_SYSTEM_RAM, requestFreeMemRegion, requestRegion } from './resource';
import { HotplugError } from './memory-blocks';
import { NdError, nsName } from './libnvdimm';
import type { ModelState } from './state';
import { why } from './why';

export function registerDevicePrivate(m: ModelState, a: Extract<Action, { kind: 'device-private' }>): string {
  const res = requestFreeMemRegion(m.root, a.size, a.name, why('device-private memory takes the highest free range below 2^46 that overlaps nothing at the top level, in steps of its size rounded up to 128 MiB', 'kernel/resource.c:request_free_mem_region'));
  if (!res) throw new HotplugError('ERANGE', `${a.name}: no free range for ${a.size} bytes of device-private memory`, why('no gap of that size is left in the physical address space', 'kernel/resource.c:request_free_mem_region'));
  return `${a.name}: device-private memory at 0x${res.start.toString(16)}-0x${res.end.toString(16)} (ZONE_DEVICE, MEMORY_DEVICE_PRIVATE; not System RAM)\n`;
}

/** add_memory at a given range: System RAM requested with the region rules, so it collides with anything busy there. */
export function addMemory(m: ModelState, a: Extract<Action, { kind: 'add-memory' }>): string {
  const ram = requestRegion(m.root, a.start, a.size, 'System RAM', IORESOURCE_SYSTEM_RAM, why('a driver adds memory at this range; it nests under any non-busy parent', 'mm/memory_hotplug.c:register_memory_resource'));
  try {
    m.blocks.add(a.start, a.size, a.node, 'add_memory');
  } catch (e) {
    if (ram.parent) ram.parent.children.splice(ram.parent.children.indexOf(ram), 1);
    throw e;
  }
  return '';
}

export function injectBadblocks(m: ModelState, a: Extract<Action, { kind: 'inject-badblocks' }>): string {
  const ns = m.regions.flatMap((r) => r.namespaces).find((n) => nsName(n) === a.namespace && n.size > 0);
  if (!ns) throw new HotplugError('ENXIO', `${a.namespace}: no such namespace with capacity`, why('bad blocks belong to a namespace', 'drivers/nvdimm/badrange.c'));
  const list = m.badblocks.get(a.namespace) ?? [];
  list.push({ start: ns.start + a.offset, length: a.length });
  m.badblocks.set(a.namespace, list);
  return `${a.namespace}: ${list.length} bad range(s); reads there fail with -EIO, and kmem would hand them to the page allocator\n`;
}

/**
 * ndctl clear-errors: QEMU's NFIT has no address range scrub, so on the real
 * guest it fails; the model clears its own model-only bad blocks as a
 * platform with ARS would.
 */
export function clearErrors(m: ModelState, target: string): string {
  const names = target === 'all' ? [...m.badblocks.keys()] : [target];
  let n = 0;
  for (const name of names) n += m.badblocks.get(name)?.length ?? 0;
  if (n === 0) {
    throw new NdError(`Error: ${target}: Unable to determine scrub state: Operation not supported\n\nerror clearing namespaces: Operation not supported\ncleared 0 namespaces\n`, 161,
      why('QEMU\'s NFIT offers no address range scrub (ARS), so ndctl cannot clear errors; with model-only bad blocks the model clears them as ARS-capable hardware would', 'ndctl/namespace.c:namespace_clear_bb'));
  }
  for (const name of names) m.badblocks.delete(name);
  return `cleared ${n} error range${n === 1 ? '' : 's'}\n`;
}

/** Bad ranges inside [start, end]: what kmem would online as poisoned memory. */
export function badRangesIn(m: ModelState, start: number, end: number): { start: number; length: number }[] {
  return [...m.badblocks.values()].flat().filter((b) => b.start <= end && b.start + b.length - 1 >= start);
}
