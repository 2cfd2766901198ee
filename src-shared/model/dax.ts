// The dax bus with its two drivers (drivers/dax/bus.c, device.c, kmem.c).
// device_dax binds every dax device by default and claims its range; kmem
// binds only through new_id and turns the range into driver-managed RAM.
import { IORESOURCE_BUSY, IORESOURCE_SYSRAM, IORESOURCE_SYSRAM_DRIVER_MANAGED, IORESOURCE_SYSTEM_RAM, Resource, releaseRegion, releaseResource, requestRegion, requestResourceConflict } from './resource';
import { HotplugError } from './memory-blocks';
import { daxName, type Namespace } from './libnvdimm';
import type { DaxDevice, ModelState } from './state';
import { why, type Why } from './why';
import { alignDown, alignUp } from '../units';

export class DaxError extends Error {
  constructor(message: string, readonly errno: string, readonly why: Why) {
    super(message);
  }
}

/** dax_pmem: a devdax namespace gets daxR.N over its data area, bound to device_dax. */
export function createDaxDevice(m: ModelState, ns: Namespace): DaxDevice {
  const dev: DaxDevice = { name: daxName(ns), ns, start: ns.start + ns.offset, end: ns.start + ns.size - 1, targetNode: ns.region.targetNode, driver: '', kmemId: false };
  m.dax.set(dev.name, dev);
  bindDeviceDax(m, dev);
  return dev;
}

export function removeDaxDevice(m: ModelState, dev: DaxDevice): void {
  if (dev.driver === 'device_dax') unbindDeviceDax(dev);
  m.dax.delete(dev.name);
}

export function bindDeviceDax(m: ModelState, dev: DaxDevice): void {
  dev.resource = requestRegion(m.root, dev.start, dev.end - dev.start + 1, dev.name, 0, why(`device_dax claims ${dev.name}: the namespace after its ${dev.ns.offset / 2 ** 20} MiB of metadata`, 'drivers/dax/device.c:dev_dax_probe'));
  dev.driver = 'device_dax';
}

export function unbindDeviceDax(dev: DaxDevice): void {
  if (dev.resource?.parent) releaseRegion(dev.resource.parent, dev.resource.start, dev.resource.size);
  dev.resource = undefined;
  dev.driver = '';
}

/**
 * kmem probe (6.1): the range, start rounded up and end rounded down to the
 * memory block size, is requested as daxR.N with BUSY cleared so that
 * "System RAM (kmem)" can nest under it, and added as driver-managed memory.
 */
export function kmemProbe(m: ModelState, dev: DaxDevice): void {
  if (dev.targetNode < 0) throw new DaxError(`${dev.name}: rejecting DAX region with invalid node: ${dev.targetNode}`, 'EINVAL', why('kmem needs a NUMA node to give the memory to', 'drivers/dax/kmem.c:dev_dax_kmem_probe'));
  const bs = m.blocks.blockSize;
  const start = alignUp(dev.start, bs);
  const end = alignDown(dev.end + 1, bs) - 1;
  if (end <= start) throw new DaxError(`${dev.name}: rejecting DAX region without any memory after alignment`, 'EINVAL', why('nothing is left once the range is aligned to whole memory blocks', 'drivers/dax/kmem.c:dev_dax_kmem_probe'));
  const lost = start - dev.start + (dev.end - end);
  const mib = (n: number) => `${n / 2 ** 20} MiB`;
  const rule = `kmem rounds 0x${dev.start.toString(16)} up and 0x${(dev.end + 1).toString(16)} down to the ${mib(bs)} block: 0x${start.toString(16)}-0x${end.toString(16)}, ${mib(lost)} unusable`;
  const res = requestRegion(m.root, start, end - start + 1, dev.name, 0, why(rule, 'drivers/dax/kmem.c:dev_dax_kmem_probe'));
  // 5.1+: BUSY is cleared so the memory can nest under the dax range; 5.8 named it "System RAM (kmem)".
  if (m.rules !== '5.0') res.flags &= ~IORESOURCE_BUSY;
  const name = m.rules === '6.1' ? 'System RAM (kmem)' : 'System RAM';
  let ram;
  try {
    if (m.rules === '5.0') {
      const conflict = requestResourceConflict(m.root, new Resource(start, end, name, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY));
      throw new DaxError(`${dev.name}: mapping0: 0x${start.toString(16)}-0x${end.toString(16)} could not reserve region: conflicts with ${conflict?.name}`, 'EEXIST',
        why('before 5.1 hotplugged memory is checked against the top level only, so System RAM cannot go inside "Persistent Memory"', 'mm/memory_hotplug.c:register_memory_resource (5.0)'));
    }
    ram = requestRegion(m.root, start, end - start + 1, name, IORESOURCE_SYSRAM_DRIVER_MANAGED | IORESOURCE_SYSRAM, why(`kmem adds the aligned range as driver-managed memory named "${name}" under ${dev.name}`, 'mm/memory_hotplug.c:add_memory_driver_managed'));
  } catch (e) {
    releaseResource(res);
    throw e;
  }
  const blocks = m.blocks.add(start, end - start + 1, dev.targetNode, `kmem ${dev.name}`);
  dev.kmem = { res, ram, blocks };
  dev.driver = 'kmem';
}

/** kmem remove (6.1): the memory goes only when every block is offline; otherwise it stays until reboot, and the unbind still succeeds. */
export function kmemRemove(m: ModelState, dev: DaxDevice): { leaked: boolean; why: Why } {
  const k = dev.kmem!;
  dev.driver = '';
  const online = k.blocks.some((id) => m.blocks.blocks.get(id)?.online);
  if (online || m.rules === '5.1') {
    return { leaked: true, why: why(`${dev.name} cannot be hotremoved until the next reboot: its blocks are online${m.rules === '5.1' ? ' (5.1 never removes)' : ''}`, 'drivers/dax/kmem.c:dev_dax_kmem_remove') };
  }
  try {
    m.blocks.remove(k.blocks);
  } catch (e) {
    if (e instanceof HotplugError) return { leaked: true, why: e.why };
    throw e;
  }
  releaseResource(k.ram);
  releaseResource(k.res);
  dev.kmem = undefined;
  return { leaked: false, why: why('all blocks offline: kmem removes the memory and releases the range', 'drivers/dax/kmem.c:dev_dax_kmem_remove') };
}
