// QEMU's side of memory hotplug through QMP: object-add of a memory backend,
// device_add and device_del of a pc-dimm, qom-set of a virtio-mem device's
// requested-size, with QEMU's answers and errors
// (qom/object_interfaces.c user_creatable_add_type; softmmu/qdev-monitor.c
// qdev_device_add, qmp_device_del; hw/mem/pc-dimm.c). The guest's part (ACPI
// memory hotplug) is behind HotplugGuest: the platform never sees the kernel.
import type { Action } from '../../actions/types';
import type { Dimm, Machine } from './machine';
import { memoryDevicePrePlug } from './memory-device';
import { QmpError } from './qmp-error';
import { virtioMemSetRequestedSize, type VirtioMemGuest } from './virtio-mem-device';

/** What the guest does when QEMU signals it through the ACPI memory hotplug device (hw/acpi/memory_hotplug.c). */
export interface HotplugGuest {
  /** the device was inserted: the guest adds its memory (a refusal is thrown) */
  memoryDeviceInserted(dimm: Dimm): void;
  /** eject requested: the guest offlines and removes the memory; a returned text is its refusal */
  memoryDeviceEject(dimm: Dimm): string | undefined;
}

export type QmpAction = Extract<Action, { kind: 'object-add' | 'device-add' | 'device-del' | 'virtio-mem-resize' }>;

const ok = (): string => JSON.stringify({ return: {} });

/** One QMP command; its answer, or a QmpError with QEMU's error. */
export function qmpExecute(machine: Machine, a: QmpAction, guest: HotplugGuest & VirtioMemGuest): string {
  switch (a.kind) {
    case 'object-add':
      return objectAdd(machine, a);
    case 'device-add':
      return deviceAdd(machine, a, guest);
    case 'device-del':
      return deviceDel(machine, a, guest);
    case 'virtio-mem-resize':
      return qomSetRequestedSize(machine, a, guest);
  }
}

/** qom-set PATH requested-size VALUE (qom/qom-qmp-cmds.c qmp_qom_set): the device by its id or its QOM path. */
function qomSetRequestedSize(
  machine: Machine,
  a: Extract<Action, { kind: 'virtio-mem-resize' }>,
  guest: VirtioMemGuest,
): string {
  const id = a.path.replace(/^\/machine\/peripheral\//, '');
  const dev = machine.virtioMem.find((d) => d.id === id);
  if (!dev) {
    const dimm = machine.dimms.has(id) ? 'pc-dimm' : machine.nvdimms.some((n) => n.id === id) ? 'nvdimm' : undefined;
    if (dimm) throw new QmpError('GenericError', `Property '${dimm}.requested-size' not found`);
    throw new QmpError('DeviceNotFound', `Device '${a.path}' not found`);
  }
  virtioMemSetRequestedSize(dev, a.size, guest);
  return ok();
}

function objectAdd(machine: Machine, a: Extract<Action, { kind: 'object-add' }>): string {
  if (machine.backends.has(a.id)) {
    throw new QmpError('GenericError', `attempt to add duplicate property '${a.id}' to object (type 'container')`);
  }
  machine.backends.set(a.id, a.size);
  return ok();
}

/**
 * pc-dimm plug in QEMU's order (softmmu/qdev-monitor.c qdev_device_add): the
 * id (every device with an id is a child of /machine/peripheral, NVDIMMs too),
 * the memdev link, the hotplug handler's pre-plug (slot, room, address), then
 * pc_dimm_realize (the backend not yet mapped, the node known); then the
 * guest is told.
 */
function deviceAdd(machine: Machine, a: Extract<Action, { kind: 'device-add' }>, guest: HotplugGuest): string {
  if (machine.dimms.has(a.id) || machine.nvdimms.some((n) => n.id === a.id)) {
    throw new QmpError('GenericError', `Duplicate device ID '${a.id}'`);
  }
  const size = machine.backends.get(a.memdev);
  if (size === undefined) {
    // a link property naming no object (qom/object.c object_resolve_link; seen in QEMU 7.2 by pmem-lab fuzz)
    throw new QmpError('DeviceNotFound', `Device '${a.memdev}' not found`);
  }
  const { slot, start } = memoryDevicePrePlug(machine, size, a.addr);
  const busy = machine.bootBackends.has(a.memdev) || [...machine.dimms.values()].some((d) => d.memdev === a.memdev);
  if (busy) throw new QmpError('GenericError', `can't use already busy memdev: ${a.memdev}`);
  const node = a.node ?? 0;
  const nodes = Math.max(1, machine.numaNodes);
  if (node >= nodes) {
    throw new QmpError(
      'GenericError',
      `'DIMM property node has value ${node}' which exceeds the number of numa nodes: ${nodes}`,
    );
  }
  const dimm: Dimm = { id: a.id, slot, start, size, node, memdev: a.memdev };
  guest.memoryDeviceInserted(dimm);
  machine.dimms.set(a.id, dimm);
  return ok();
}

/** device_del: the guest's eject handler removes the memory, then QEMU unplugs the DIMM. */
function deviceDel(machine: Machine, a: Extract<Action, { kind: 'device-del' }>, guest: HotplugGuest): string {
  const dimm = machine.dimms.get(a.id);
  if (!dimm && machine.nvdimms.some((n) => n.id === a.id)) {
    // pc_memory_unplug_request (hw/i386/pc.c)
    throw new QmpError('GenericError', 'nvdimm device hot unplug is not supported yet.');
  }
  if (!dimm) throw new QmpError('DeviceNotFound', `Device '${a.id}' not found`);
  const refused = guest.memoryDeviceEject(dimm);
  if (refused !== undefined) throw new QmpError('GenericError', refused);
  machine.dimms.delete(a.id);
  return ok();
}
