// daxctl and the dax bus's sysfs files (daxctl/device.c; drivers/dax/bus.c).
import type { Action } from '../actions/types';
import { bindDeviceDax, DaxError, kmemProbe, kmemRemove, unbindDeviceDax } from './dax';
import { HotplugError } from './memory-blocks';
import type { DaxDevice, ModelState } from './state';
import { why } from './why';
import { badRangesIn } from './model-only';

function findDax(m: ModelState, name: string): DaxDevice {
  const d = m.dax.get(name);
  if (!d) throw new DaxError(`error reconfiguring devices: No such device or address\nreconfigured 0 devices\n`, 'ENXIO', why(`no ${name} on the dax bus`, 'daxctl/device.c'));
  return d;
}

/** The lab's warning (the 6.1 kernel has none): kmem onlines memory over known media errors. */
function poisonWarning(m: ModelState, d: DaxDevice): string {
  if (!d.kmem) return '';
  const bad = badRangesIn(m, d.kmem.res.start, d.kmem.res.end);
  if (!bad.length) return '';
  return `model warning: ${d.name}: kmem onlines ${bad.length} bad range(s) (${bad.map((b) => `0x${b.start.toString(16)}+${b.length}`).join(', ')}) as System RAM; a read there is a machine check. Clear them first (ndctl clear-errors).\n`;
}

function json(m: ModelState, d: DaxDevice): string {
  const blocks = d.kmem?.blocks ?? [];
  const online = blocks.filter((id) => m.blocks.blocks.get(id)?.online).length;
  return JSON.stringify([{ chardev: d.name, size: d.end - d.start + 1, target_node: d.targetNode, align: 2097152, mode: d.driver === 'kmem' ? 'system-ram' : 'devdax', ...(d.driver === 'kmem' ? { online_memblocks: online, total_memblocks: blocks.length } : {}) }], null, 2) + '\n';
}

function onlineBlocks(m: ModelState, d: DaxDevice, movable: boolean): void {
  for (const id of d.kmem?.blocks ?? []) if (!m.blocks.blocks.get(id)!.online) m.blocks.setState(id, movable ? 'online_movable' : 'online');
}

function offlineBlocks(m: ModelState, d: DaxDevice): void {
  for (const id of d.kmem?.blocks ?? []) if (m.blocks.blocks.get(id)!.online) m.blocks.setState(id, 'offline');
}

export function reconfigureDevice(m: ModelState, a: Extract<Action, { kind: 'reconfigure-device' }>): string {
  const d = findDax(m, a.device);
  if (a.mode === 'system-ram') {
    if (d.driver === 'kmem') return `reconfigured 1 device\n${json(m, d)}`;
    if (m.blocks.autoOnline !== 'offline' && a.movable && a.online) {
      throw new DaxError(`${d.name}: error: kernel policy will auto-online memory, aborting\nerror reconfiguring devices: Device or resource busy\nreconfigured 0 devices\n`, 'EBUSY', why('daxctl will not online movable memory when the kernel onlines it first (auto_online_blocks)', 'daxctl/device.c:reconfig_mode_system_ram'));
    }
    unbindDeviceDax(d);
    d.kmemId = true;
    kmemProbe(m, d);
    if (a.online) onlineBlocks(m, d, a.movable);
    return `${poisonWarning(m, d)}reconfigured 1 device\n${json(m, d)}`;
  }
  if (d.driver !== 'kmem') return `reconfigured 1 device\n${json(m, d)}`;
  const online = (d.kmem?.blocks ?? []).some((id) => m.blocks.blocks.get(id)?.online);
  if (online && !a.force) {
    throw new DaxError('error reconfiguring devices: Device or resource busy\nreconfigured 0 devices\n', 'EBUSY', why('back to devdax needs every kmem block offline (-f offlines them first)', 'daxctl/device.c:reconfig_mode_devdax'));
  }
  if (online) offlineBlocks(m, d);
  const r = kmemRemove(m, d);
  if (r.leaked) throw new DaxError(`${d.name}: cannot be hotremoved until the next reboot\n`, 'EBUSY', r.why);
  d.kmemId = false;
  bindDeviceDax(m, d);
  return `reconfigured 1 device\n${json(m, d)}`;
}

export function onlineMemory(m: ModelState, a: Extract<Action, { kind: 'online-memory' }>): string {
  const d = findDax(m, a.device);
  if (d.driver !== 'kmem') throw new DaxError(`${d.name}: not in system-ram mode\nerror onlining memory: No such device or address\n`, 'ENXIO', why('only a kmem-bound device has memory blocks', 'daxctl/device.c'));
  onlineBlocks(m, d, a.movable);
  return 'onlined memory for 1 device\n';
}

export function offlineMemory(m: ModelState, a: Extract<Action, { kind: 'offline-memory' }>): string {
  const d = findDax(m, a.device);
  if (d.driver !== 'kmem') throw new DaxError(`${d.name}: not in system-ram mode\nerror offlining memory: No such device or address\n`, 'ENXIO', why('only a kmem-bound device has memory blocks', 'daxctl/device.c'));
  offlineBlocks(m, d);
  return 'offlined memory for 1 device\n';
}

/** echo DEV > /sys/bus/dax/drivers/{device_dax,kmem}/{bind,unbind,new_id,remove_id} */
export function daxDriverWrite(m: ModelState, a: Extract<Action, { kind: 'dax-driver' }>): string {
  const d = m.dax.get(a.device);
  const busy = (rule: string) => new DaxError('sh: write error: No such device\n', 'ENODEV', why(rule, 'drivers/dax/bus.c'));
  if (!d) throw busy(`no ${a.device} on the dax bus`);
  if (a.op === 'unbind') {
    if (d.driver !== a.driver) throw busy(`${a.device} is not bound to ${a.driver}`);
    if (a.driver === 'device_dax') unbindDeviceDax(d);
    else kmemRemove(m, d);
    return '';
  }
  if (a.driver === 'kmem' && (a.op === 'new_id' || a.op === 'remove_id')) {
    d.kmemId = a.op === 'new_id';
    // new_id binds an unbound device at once (the bus rescans for a matching driver).
    if (a.op === 'new_id' && d.driver === '') kmemProbe(m, d);
    return '';
  }
  if (a.op === 'bind') {
    if (d.driver !== '') throw busy(`${a.device} is already bound to ${d.driver}`);
    if (a.driver === 'device_dax') bindDeviceDax(m, d);
    else if (d.kmemId) kmemProbe(m, d);
    else throw busy('kmem binds only devices whose id was added with new_id');
    return '';
  }
  return '';
}

export function isHotplugError(e: unknown): e is HotplugError {
  return e instanceof HotplugError;
}
