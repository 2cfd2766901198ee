// The dax bus (drivers/dax/bus.c) with device_dax (drivers/dax/device.c):
// dax_pmem makes daxR.N over a devdax namespace's data area and device_dax,
// which matches every dax device, binds it and claims its range. kmem binds
// only through new_id (kmem.ts). The bus's sysfs files: bind, unbind, new_id,
// remove_id.
import { why } from '../why';
import { ENODEV, ENXIO, KernelError } from './errno';
import { kmemProbe, kmemRemove } from './kmem';
import { printk } from './printk';
import type { Namespace } from './namespace';
import { releaseRegion, requestRegion, type Resource } from './resource';
import type { Kernel } from './state';

export type DaxDriver = 'device_dax' | 'kmem';

export interface DaxDevice {
  name: string;
  ns: Namespace;
  start: number;
  end: number;
  targetNode: number;
  driver: '' | DaxDriver;
  /** device_dax's busy claim on the range */
  resource?: Resource;
  /** what kmem added: the aligned dax resource (BUSY cleared) and System RAM (kmem) under it */
  kmem?: { res: Resource; ram: Resource; blocks: number[] };
  /** kmem's dynamic ids (new_id) */
  kmemId: boolean;
}

export const daxName = (ns: Namespace) => `dax${ns.region.id}.${ns.id}`;

/** dax_pmem: a devdax namespace gets daxR.N over its data area, bound to device_dax. */
export function createDaxDevice(k: Kernel, ns: Namespace): DaxDevice {
  const dev: DaxDevice = {
    name: daxName(ns),
    ns,
    start: ns.start + ns.offset,
    end: ns.start + ns.size - 1,
    targetNode: ns.region.targetNode,
    driver: '',
    kmemId: false,
  };
  k.dax.set(dev.name, dev);
  devDaxProbe(k, dev);
  return dev;
}

export function removeDaxDevice(k: Kernel, dev: DaxDevice): void {
  if (dev.driver === 'device_dax') devDaxRemove(dev);
  k.dax.delete(dev.name);
}

/** device_dax's probe claims the range as a busy daxR.N. */
export function devDaxProbe(k: Kernel, dev: DaxDevice): void {
  const rule = `device_dax claims ${dev.name}: the namespace after its ${dev.ns.offset / 2 ** 20} MiB of metadata`;
  const size = dev.end - dev.start + 1;
  dev.resource = requestRegion(k.root, dev.start, size, dev.name, 0, why(rule, 'drivers/dax/device.c:dev_dax_probe'));
  dev.driver = 'device_dax';
}

export function devDaxRemove(dev: DaxDevice): void {
  if (dev.resource?.parent) releaseRegion(dev.resource.parent, dev.resource.start, dev.resource.size);
  dev.resource = undefined;
  dev.driver = '';
}

/** kmem's dynamic id for the device, as writing its name to new_id or remove_id records it (without the rescan). */
export function kmemIdSet(dev: DaxDevice, on: boolean): void {
  dev.kmemId = on;
}

const noDevice = (rule: string) => new KernelError(ENODEV, why(rule, 'drivers/dax/bus.c'));

function busDevice(k: Kernel, name: string): DaxDevice {
  const d = k.dax.get(name);
  if (!d) throw noDevice(`no ${name} on the dax bus`);
  return d;
}

/** drivers/DRIVER/unbind: only the driver the device is bound to lets go of it. */
export function unbindStore(k: Kernel, driver: DaxDriver, name: string): void {
  const d = busDevice(k, name);
  if (d.driver !== driver) throw noDevice(`${name} is not bound to ${driver}`);
  if (driver === 'device_dax') devDaxRemove(d);
  else kmemRemove(k, d);
}

/** drivers/DRIVER/bind: an unbound device; kmem only for an id added with new_id. */
export function bindStore(k: Kernel, driver: DaxDriver, name: string): void {
  const d = busDevice(k, name);
  if (d.driver !== '') throw noDevice(`${name} is already bound to ${d.driver}`);
  if (driver === 'device_dax') devDaxProbe(k, d);
  else if (d.kmemId) kmemDriverProbe(k, d);
  else throw noDevice('kmem binds only devices whose id was added with new_id');
}

/** The driver core around kmem's probe reports a failure but ENODEV and ENXIO (drivers/base/dd.c:call_driver_probe). */
function kmemDriverProbe(k: Kernel, d: DaxDevice): void {
  try {
    kmemProbe(k, d);
  } catch (e) {
    if (e instanceof KernelError && e.errno !== ENODEV && e.errno !== ENXIO)
      printk(k, `kmem: probe of ${d.name} failed with error -${e.errno}`);
    throw e;
  }
}

/**
 * drivers/kmem/new_id, remove_id (do_id_store): kmem's dynamic ids; new_id
 * then attaches kmem to every unbound device whose id it has (driver_attach,
 * which ignores a failed probe: the write succeeds). device_dax matches every
 * device and keeps no ids.
 */
export function idStore(k: Kernel, driver: DaxDriver, op: 'new_id' | 'remove_id', name: string): void {
  const d = busDevice(k, name);
  if (driver !== 'kmem') return;
  kmemIdSet(d, op === 'new_id');
  if (op !== 'new_id') return;
  for (const dev of k.dax.values()) {
    if (dev.driver !== '' || !dev.kmemId) continue;
    try {
      kmemDriverProbe(k, dev);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
    }
  }
}
