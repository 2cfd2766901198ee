// Where QEMU puts a hotplugged pc-dimm: the first free address in the
// device-memory region, after the NVDIMMs and the DIMMs already there, aligned
// (hw/mem/memory-device.c memory_device_get_free_addr).
import { alignUp } from '../../units';
import type { Machine } from './machine';
import { QmpError } from './qmp-error';

export function memoryDeviceFreeAddr(machine: Machine, size: number): number {
  const dm = machine.deviceMem;
  if (!dm) {
    throw new QmpError(
      'GenericError',
      'memory devices (e.g. for memory hotplug) are not enabled, please specify the maxmem option',
    );
  }
  const used = [
    ...machine.nvdimms.map((n) => ({ start: n.start, end: n.start + n.size })),
    ...[...machine.dimms.values()].map((d) => ({ start: d.start, end: d.start + d.size })),
  ].sort((x, y) => x.start - y.start);
  const align = machine.constants.dimmAlign;
  let at = dm.base;
  for (const u of used) {
    if (u.start - at >= size) break;
    at = Math.max(at, alignUp(u.end, align));
  }
  if (at + size > dm.base + dm.size) {
    throw new QmpError(
      'GenericError',
      'could not find position in guest address space for memory device - memory fragmented due to alignments',
    );
  }
  return at;
}
