// The lab's own lines (src-shared/actions/model-only.ts): what the stock guest
// cannot show. A driver registers device-private memory (as test_hmm does), a
// driver hot-adds System RAM at a chosen range (add_memory), and media errors
// appear in a namespace (QEMU cannot poison an NVDIMM).
import type { Action } from '../../actions/types';
import { hex } from '../../units';
import { badrangeAdd } from '../kernel/badrange';
import { ENXIO } from '../kernel/errno';
import { addMemory } from '../kernel/memory-hotplug';
import { memremapDevicePrivate } from '../kernel/memremap';
import { nsFind } from '../kernel/namespace';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { ToolFailure } from './failure';

export function devicePrivate(k: Kernel, a: Extract<Action, { kind: 'device-private' }>): string {
  const res = memremapDevicePrivate(k, a.name, a.size);
  const what = '(ZONE_DEVICE, MEMORY_DEVICE_PRIVATE; not System RAM)';
  return `${a.name}: device-private memory at ${hex(res.start)}-${hex(res.end)} ${what}\n`;
}

/** add_memory at a given range: System RAM requested with the region rules, so it collides with anything busy there. */
export function addMemoryAt(k: Kernel, a: Extract<Action, { kind: 'add-memory' }>): string {
  const rule = why(
    'a driver adds memory at this range; it nests under any non-busy parent',
    'mm/memory_hotplug.c:register_memory_resource',
  );
  addMemory(k, a.start, a.size, a.node, 'add_memory', rule);
  return '';
}

export function injectBadblocks(k: Kernel, a: Extract<Action, { kind: 'inject-badblocks' }>): string {
  const ns = nsFind(k.regions, a.namespace);
  if (!ns || ns.size === 0) {
    throw new ToolFailure(
      'sh',
      `sh: ${a.namespace}: no such namespace with capacity\n`,
      ENXIO,
      why('bad blocks belong to a namespace', 'drivers/nvdimm/badrange.c'),
    );
  }
  const n = badrangeAdd(k, a.namespace, { start: ns.start + a.offset, length: a.length });
  const effect = 'reads there fail with -EIO, and kmem would hand them to the page allocator';
  return `${a.namespace}: ${n} bad range(s); ${effect}\n`;
}
