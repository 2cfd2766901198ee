// pc-dimm hotplug through QMP and the guest's ACPI memory hotplug
// (hw/mem/memory-device.c placement; drivers/acpi/acpi_memhotplug.c).
import type { Action } from '../actions/types';
import { releaseResource, requestRegion, IORESOURCE_SYSTEM_RAM } from './resource';
import { HotplugError } from './memory-blocks';
import type { ModelState } from './state';
import { why } from './why';
import { alignUp } from '../units';

export class QmpModelError extends Error {
  constructor(readonly errorClass: string, message: string) {
    super(message);
  }
}

function qmpOut(ret: unknown): string {
  return JSON.stringify({ return: ret });
}

export function objectAdd(m: ModelState, a: Extract<Action, { kind: 'object-add' }>): string {
  if (m.backends.has(a.id)) throw new QmpModelError('GenericError', `attempt to add duplicate property '${a.id}' to object (type 'container')`);
  m.backends.set(a.id, a.size);
  return qmpOut({});
}

/** First free address in device memory, after the NVDIMMs and the DIMMs already there. */
function placeDimm(m: ModelState, size: number): number {
  const dm = m.platform.deviceMem;
  if (!dm) throw new QmpModelError('GenericError', 'memory devices (e.g. for memory hotplug) are not enabled, please specify the maxmem option');
  const used = [
    ...m.platform.nvdimms.map((n) => ({ start: n.start, end: n.start + n.backendSize })),
    ...[...m.dimms.values()].map((d) => ({ start: d.start, end: d.start + d.size })),
  ].sort((x, y) => x.start - y.start);
  const align = m.platform.constants.dimmAlign;
  let at = dm.base;
  for (const u of used) {
    if (u.start - at >= size) break;
    at = Math.max(at, alignUp(u.end, align));
  }
  if (at + size > dm.base + dm.size) throw new QmpModelError('GenericError', 'could not find position in guest address space for memory device - memory fragmented due to alignments');
  return at;
}

export function deviceAdd(m: ModelState, a: Extract<Action, { kind: 'device-add' }>): string {
  const size = m.backends.get(a.memdev);
  if (size === undefined) throw new QmpModelError('GenericError', `Device 'pc-dimm' can't find value '${a.memdev}' for property 'memdev'`);
  if (m.dimms.has(a.id)) throw new QmpModelError('GenericError', `Duplicate device ID '${a.id}'`);
  const start = a.addr ?? placeDimm(m, size);
  const node = a.node ?? 0;
  const ram = requestRegion(m.root, start, size, 'System RAM', IORESOURCE_SYSTEM_RAM, why('the guest\'s ACPI memory hotplug adds the DIMM as top-level System RAM at the address QEMU chose (first free slot in device memory)', 'drivers/acpi/acpi_memhotplug.c:acpi_memory_enable_device'));
  const blocks = m.blocks.add(start, size, node, `pc-dimm ${a.id}`);
  m.dimms.set(a.id, { id: a.id, start, size, node, memdev: a.memdev, ram, blocks });
  return qmpOut({});
}

/**
 * device_del: the guest's eject handler offlines every block it can (movable
 * memory always can), removes the memory and ejects the DIMM.
 */
export function deviceDel(m: ModelState, a: Extract<Action, { kind: 'device-del' }>): string {
  const d = m.dimms.get(a.id);
  if (!d) throw new QmpModelError('DeviceNotFound', `Device '${a.id}' not found`);
  for (const id of d.blocks) if (m.blocks.blocks.get(id)?.online) m.blocks.setState(id, 'offline');
  try {
    m.blocks.remove(d.blocks);
  } catch (e) {
    if (e instanceof HotplugError) throw new QmpModelError('GenericError', e.message);
    throw e;
  }
  if (d.ram) releaseResource(d.ram);
  m.dimms.delete(a.id);
  return qmpOut({});
}
