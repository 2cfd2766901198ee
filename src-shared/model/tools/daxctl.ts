// daxctl's device commands (daxctl/device.c: reconfig_mode_system_ram,
// reconfig_mode_devdax, do_xaction_device): it moves a dax device between
// device_dax and kmem through the bus's sysfs files and onlines or offlines
// the memory blocks, with daxctl's own refusals and JSON.
import type { Action } from '../../actions/types';
import { badrangesIn } from '../kernel/badrange';
import { bindStore, devDaxProbe, devDaxRemove, idStore, kmemIdSet, type DaxDevice } from '../kernel/dax-bus';
import { EBUSY, ENXIO, KernelError, strerror } from '../kernel/errno';
import { ResourceBusyError } from '../kernel/resource';
import { kmemRemove } from '../kernel/kmem';
import type { Kernel } from '../kernel/state';
import { why, type Why } from '../why';
import { daxDevJson } from './daxctl-json';
import { ToolFailure } from './failure';
import { jsonC } from './json-c';

const daxctlFailure = (output: string, errno: number, rule: Why) => new ToolFailure('daxctl', output, errno, rule);

/**
 * libdaxctl's daxctl_dev_enable binds the device to kmem; a refusal (kmem's
 * probe failed: its reason goes to the kernel log) ends the reconfigure
 * (daxctl/lib/libdaxctl.c daxctl_dev_enable, daxctl/device.c do_xaction_device).
 */
function enable(k: Kernel, d: DaxDevice): void {
  try {
    bindStore(k, 'kmem', d.name);
  } catch (e) {
    if (!(e instanceof KernelError) || e instanceof ResourceBusyError) throw e;
    const printed = `libdaxctl: daxctl_dev_enable: ${d.name}: failed to enable\n`;
    throw daxctlFailure(
      `${printed}error reconfiguring devices: ${strerror(e.errno)}\nreconfigured 0 devices\n`,
      e.errno,
      e.why,
    );
  }
}

function findDax(k: Kernel, name: string): DaxDevice {
  const d = k.dax.get(name);
  if (!d) {
    throw daxctlFailure(
      'error reconfiguring devices: No such device or address\nreconfigured 0 devices\n',
      ENXIO,
      why(`no ${name} on the dax bus`, 'daxctl/device.c'),
    );
  }
  return d;
}

/** The lab's warning (the 6.1 kernel has none): kmem onlines memory over known media errors. */
function poisonWarning(k: Kernel, d: DaxDevice): string {
  if (!d.kmem) return '';
  const bad = badrangesIn(k, d.kmem.res.start, d.kmem.res.end);
  if (!bad.length) return '';
  const list = bad.map((b) => `0x${b.start.toString(16)}+${b.length}`).join(', ');
  return (
    `model warning: ${d.name}: kmem onlines ${bad.length} bad range(s) (${list}) as System RAM;` +
    ' a read there is a machine check. Clear them first (ndctl clear-errors).\n'
  );
}

/** daxctl prints the device it reconfigured as a one-element list (daxctl/device.c do_xaction_device) */
const json = (k: Kernel, d: DaxDevice): string => jsonC([daxDevJson(k, d, { human: false })]);

/** daxctl writes memoryN/state for each offline block of the device. */
function onlineBlocks(k: Kernel, d: DaxDevice, movable: boolean): void {
  const state = movable ? 'online_movable' : 'online';
  for (const id of d.kmem?.blocks ?? []) if (!k.blocks.isOnline(id)) k.blocks.setState(id, state);
}

function offlineBlocks(k: Kernel, d: DaxDevice): void {
  for (const id of d.kmem?.blocks ?? []) if (k.blocks.isOnline(id)) k.blocks.setState(id, 'offline');
}

export function reconfigureDevice(k: Kernel, a: Extract<Action, { kind: 'reconfigure-device' }>): string {
  const d = findDax(k, a.device);
  if (a.mode === 'system-ram') {
    if (d.driver === 'kmem') return `reconfigured 1 device\n${json(k, d)}`;
    if (k.blocks.autoOnline !== 'offline' && a.movable && a.online) {
      throw daxctlFailure(
        `${d.name}: error: kernel policy will auto-online memory, aborting\n` +
          'error reconfiguring devices: Device or resource busy\nreconfigured 0 devices\n',
        EBUSY,
        why(
          'daxctl will not online movable memory when the kernel onlines it first (auto_online_blocks)',
          'daxctl/device.c:reconfig_mode_system_ram',
        ),
      );
    }
    devDaxRemove(d);
    // util_bind: kmem's new_id (which probes every unbound device kmem has an id for), then bind if still unbound
    idStore(k, 'kmem', 'new_id', d.name);
    if (!d.kmem) enable(k, d);
    if (a.online) onlineBlocks(k, d, a.movable);
    return `${poisonWarning(k, d)}reconfigured 1 device\n${json(k, d)}`;
  }
  if (d.driver !== 'kmem') return `reconfigured 1 device\n${json(k, d)}`;
  const online = (d.kmem?.blocks ?? []).some((id) => k.blocks.isOnline(id));
  if (online && !a.force) {
    throw daxctlFailure(
      'error reconfiguring devices: Device or resource busy\nreconfigured 0 devices\n',
      EBUSY,
      why(
        'back to devdax needs every kmem block offline (-f offlines them first)',
        'daxctl/device.c:reconfig_mode_devdax',
      ),
    );
  }
  if (online) offlineBlocks(k, d);
  const r = kmemRemove(k, d);
  if (r.leaked) throw daxctlFailure(`${d.name}: cannot be hotremoved until the next reboot\n`, EBUSY, r.why);
  kmemIdSet(d, false);
  devDaxProbe(k, d);
  return `reconfigured 1 device\n${json(k, d)}`;
}

function kmemDevice(k: Kernel, name: string, verb: 'onlining' | 'offlining'): DaxDevice {
  const d = findDax(k, name);
  if (d.driver !== 'kmem') {
    throw daxctlFailure(
      `${d.name}: not in system-ram mode\nerror ${verb} memory: No such device or address\n`,
      ENXIO,
      why('only a kmem-bound device has memory blocks', 'daxctl/device.c'),
    );
  }
  return d;
}

export function onlineMemory(k: Kernel, a: Extract<Action, { kind: 'online-memory' }>): string {
  onlineBlocks(k, kmemDevice(k, a.device, 'onlining'), a.movable);
  return 'onlined memory for 1 device\n';
}

export function offlineMemory(k: Kernel, a: Extract<Action, { kind: 'offline-memory' }>): string {
  offlineBlocks(k, kmemDevice(k, a.device, 'offlining'));
  return 'offlined memory for 1 device\n';
}
