// The guest's ACPI memory hotplug (drivers/acpi/acpi_memhotplug.c): a DIMM
// QEMU announces becomes top-level System RAM with offline blocks; on eject the
// guest offlines every block it can (movable memory always can), removes the
// memory and lets QEMU unplug the DIMM.
import type { Dimm } from '../platform/machine';
import type { HotplugGuest } from '../platform/qmp';
import { why } from '../why';
import { KernelError } from './errno';
import { addMemory, mhpSupportsMemmapOnMemory, removeMemory } from './memory-hotplug';
import { printk } from './printk';
import { Desc, ResourceBusyError } from './resource';
import type { Kernel } from './state';

/**
 * acpi_memory_enable_device: add_memory for the device's range, on its node, asking for MHP_MEMMAP_ON_MEMORY
 * where the range supports it (one memory block: a 128 MiB DIMM does, a 256 MiB one does not).
 * A refusal stays in the guest: the kernel logs it and QEMU's device_add has already succeeded (the DIMM
 * stays plugged, without memory in the guest).
 */
export function acpiMemoryEnableDevice(k: Kernel, dimm: Dimm): void {
  const rule = why(
    "the guest's ACPI memory hotplug adds the DIMM as top-level System RAM at the address QEMU chose" +
      ' (first free slot in device memory)',
    'drivers/acpi/acpi_memhotplug.c:acpi_memory_enable_device',
  );
  try {
    const flags = { memmapOnMemory: mhpSupportsMemmapOnMemory(k, dimm.size) };
    k.acpiMemory.set(dimm.id, addMemory(k, dimm.start, dimm.size, dimm.node, `pc-dimm ${dimm.id}`, rule, flags));
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    if (e instanceof ResourceBusyError) {
      // register_memory_resource answers a taken range with -EEXIST, which this handler reads as memory the
      // kernel already uses: the device counts as enabled, nothing is added, and the only message is the
      // region request's own warning when the range is device-private (kernel/resource.c).
      if (e.conflict.desc === Desc.DevicePrivate) printk(k, e.log!);
      return;
    }
    if (e.log !== undefined) printk(k, e.log);
    // the ACPI device of each slot exists from boot (QEMU's DSDT has one per slot), so its instance is the slot
    const acpiDevice = `acpi PNP0C80:${dimm.slot.toString(16).padStart(2, '0')}`;
    printk(k, `${acpiDevice}: add_memory failed`);
    printk(k, `${acpiDevice}: acpi_memory_enable_device() error`);
  }
}

/**
 * acpi_memory_remove_memory, after the eject request: offline what is online
 * (offline_and_remove_memory), then remove. A refusal is the kernel's message.
 */
export function acpiMemoryRemoveMemory(k: Kernel, dimm: Dimm): string | undefined {
  const mem = k.acpiMemory.get(dimm.id);
  if (!mem) return undefined;
  for (const id of mem.blocks) if (k.blocks.isOnline(id)) k.blocks.setState(id, 'offline');
  try {
    removeMemory(k, mem.ram, mem.blocks);
  } catch (e) {
    if (e instanceof KernelError) return e.message;
    throw e;
  }
  k.acpiMemory.delete(dimm.id);
  return undefined;
}

/** The guest as QEMU's ACPI memory hotplug device reaches it. */
export function acpiMemoryHotplug(k: Kernel): HotplugGuest {
  return {
    memoryDeviceInserted: (dimm) => acpiMemoryEnableDevice(k, dimm),
    memoryDeviceEject: (dimm) => acpiMemoryRemoveMemory(k, dimm),
  };
}
