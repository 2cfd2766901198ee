// QEMU's checks before a pc-dimm plugs, and where it goes (hw/mem/pc-dimm.c
// pc_dimm_pre_plug, hw/mem/memory-device.c memory_device_pre_plug): a free
// slot, room in what maxmem leaves for memory devices (NVDIMMs count), then
// the first free address in the device-memory region, after the NVDIMMs,
// virtio-mem devices and the DIMMs already there, aligned (memory_device_get_free_addr).
import { alignUp, hex } from '../../units';
import type { Machine } from './machine';
import { QmpError } from './qmp-error';

/** The slot and address the DIMM of `size` bytes gets (`addr` where the user gave one), or QEMU's refusal. */
export function memoryDevicePrePlug(machine: Machine, size: number, addr?: number): { slot: number; start: number } {
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
    // a virtio-mem device takes its whole region, plugged or not (memory_device_get_region_size)
    ...machine.virtioMem.map((v) => ({ start: v.addr, end: v.addr + v.regionSize })),
  ].sort((x, y) => x.start - y.start);
  // pc_dimm_get_free_slot: the lowest slot no NVDIMM or DIMM holds
  const taken = new Set([...machine.nvdimms.keys(), ...[...machine.dimms.values()].map((d) => d.slot)]);
  const slot = Array.from({ length: machine.slots }, (_, i) => i).find((i) => !taken.has(i));
  if (slot === undefined) throw new QmpError('GenericError', 'no free slots available');
  // memory_device_check_addable
  const inUse = used.reduce((sum, u) => sum + u.end - u.start, 0);
  if (inUse + size > machine.deviceMemBudget) {
    throw new QmpError(
      'GenericError',
      `not enough space, currently ${hex(inUse)} in use of total space for memory devices ` +
        hex(machine.deviceMemBudget),
    );
  }
  if (addr !== undefined) return { slot, start: addr };
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
  return { slot, start: at };
}
