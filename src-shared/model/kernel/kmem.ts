// kmem, the dax driver that turns a device's range into System RAM
// (drivers/dax/kmem.c dev_dax_kmem_probe, dev_dax_kmem_remove), with the
// version differences of the rule set (kernel-rules.ts).
import { alignDown, alignUp, hex } from '../../units';
import { why, type Why } from '../why';
import type { DaxDevice } from './dax-bus';
import { EEXIST, EINVAL, KernelError } from './errno';
import { addMemoryResource, removeMemory } from './memory-hotplug';
import { printk } from './printk';
import {
  IORESOURCE_BUSY,
  IORESOURCE_SYSRAM,
  IORESOURCE_SYSRAM_DRIVER_MANAGED,
  IORESOURCE_SYSTEM_RAM,
  Resource,
  releaseResource,
  requestRegion,
  requestResourceConflict,
} from './resource';
import type { Kernel } from './state';

const SOURCE = 'drivers/dax/kmem.c:dev_dax_kmem_probe';
const mib = (n: number) => `${n / 2 ** 20} MiB`;

/**
 * kmem probe: the range, start rounded up and end rounded down to the memory
 * block size, is requested as daxR.N (BUSY cleared since 5.1, so that the
 * memory can nest under it) and added as driver-managed memory.
 */
export function kmemProbe(k: Kernel, dev: DaxDevice): void {
  if (dev.targetNode < 0) {
    printk(k, `kmem ${dev.name}: rejecting DAX region with invalid node: ${dev.targetNode}`);
    throw new KernelError(
      EINVAL,
      why('kmem needs a NUMA node to give the memory to', SOURCE),
      `${dev.name}: rejecting DAX region with invalid node: ${dev.targetNode}`,
    );
  }
  const bs = k.blocks.blockSize;
  const start = alignUp(dev.start, bs);
  const end = alignDown(dev.end + 1, bs) - 1;
  if (end <= start) {
    printk(k, `kmem ${dev.name}: mapping0: ${hex(dev.start)}-${hex(dev.end)} too small after alignment`);
    printk(k, `kmem ${dev.name}: rejecting DAX region without any memory after alignment`);
    throw new KernelError(
      EINVAL,
      why('nothing is left once the range is aligned to whole memory blocks', SOURCE),
      `${dev.name}: rejecting DAX region without any memory after alignment`,
    );
  }
  const lost = start - dev.start + (dev.end - end);
  const rule =
    `kmem rounds ${hex(dev.start)} up and ${hex(dev.end + 1)} down to the ${mib(bs)} block:` +
    ` ${hex(start)}-${hex(end)}, ${mib(lost)} unusable`;
  const res = requestRegion(k.root, start, end - start + 1, dev.name, 0, why(rule, SOURCE));
  if (k.rules.kmemNestsUnderDax) res.flags &= ~IORESOURCE_BUSY;
  const name = k.rules.kmemResourceName;
  let ram: Resource;
  let blocks: number[];
  try {
    if (k.rules.hotplugTopLevelOnly) {
      const probe = new Resource(start, end, name, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY);
      const conflict = requestResourceConflict(k.root, probe);
      const range = `${hex(start)}-${hex(end)}`;
      const message = `${dev.name}: mapping0: ${range} could not reserve region: conflicts with ${conflict?.name}`;
      printk(k, `kmem ${message}`);
      throw new KernelError(
        EEXIST,
        why(
          'before 5.1 hotplugged memory is checked against the top level only, so System RAM cannot go inside' +
            ' "Persistent Memory"',
          'mm/memory_hotplug.c:register_memory_resource (5.0)',
        ),
        message,
      );
    }
    const flags = IORESOURCE_SYSRAM_DRIVER_MANAGED | IORESOURCE_SYSRAM;
    ram = requestRegion(
      k.root,
      start,
      end - start + 1,
      name,
      flags,
      why(
        `kmem adds the aligned range as driver-managed memory named "${name}" under ${dev.name}`,
        'mm/memory_hotplug.c:add_memory_driver_managed',
      ),
    );
    blocks = addMemoryResource(k, ram, dev.targetNode, `kmem ${dev.name}`);
  } catch (e) {
    releaseResource(res);
    throw e;
  }
  dev.kmem = { res, ram, blocks };
  dev.driver = 'kmem';
}

/**
 * kmem remove: the memory goes only when every block is offline (and the rule
 * set has hot-remove); otherwise it stays until reboot, and the unbind still
 * succeeds.
 */
export function kmemRemove(k: Kernel, dev: DaxDevice): { leaked: boolean; why: Why } {
  const mem = dev.kmem!;
  dev.driver = '';
  const online = mem.blocks.some((id) => k.blocks.isOnline(id));
  if (online || !k.rules.kmemHotRemove) {
    const never = k.rules.kmemHotRemove ? '' : ` (${k.rules.id} never removes)`;
    return {
      leaked: true,
      why: why(
        `${dev.name} cannot be hotremoved until the next reboot: its blocks are online${never}`,
        'drivers/dax/kmem.c:dev_dax_kmem_remove',
      ),
    };
  }
  try {
    removeMemory(k, mem.ram, mem.blocks);
  } catch (e) {
    if (e instanceof KernelError) return { leaked: true, why: e.why };
    throw e;
  }
  releaseResource(mem.res);
  dev.kmem = undefined;
  return {
    leaked: false,
    why: why(
      'all blocks offline: kmem removes the memory and releases the range',
      'drivers/dax/kmem.c:dev_dax_kmem_remove',
    ),
  };
}
