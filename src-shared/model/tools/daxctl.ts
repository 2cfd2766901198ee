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

/** What dev_online_memory or dev_offline_memory printed, and whether every block already was so (they return 1). */
interface Xline {
  text: string;
  nothingToDo: boolean;
}

const sections = (n: number) => `${n} memory section${n === 1 ? '' : 's'}`;

/** daxctl prints this whenever it finds blocks of the device online before it onlines any */
const raceWarning = (dev: string) =>
  `${dev}:\n  WARNING: detected a race while onlining memory\n` +
  '  Some memory may not be in the expected zone. It is\n' +
  '  recommended to disable any other onlining mechanisms,\n' +
  '  and retry. If onlining is to be left to other agents,\n' +
  '  use the --no-online option to suppress this warning\n';

/** dev_online_memory: counts the blocks already online, then writes memoryN/state for each offline one. */
function onlineMemoryOf(k: Kernel, d: DaxDevice, movable: boolean): Xline {
  const blocks = d.kmem?.blocks ?? [];
  const on = blocks.filter((id) => k.blocks.isOnline(id)).length;
  const warning = on ? raceWarning(d.name) : '';
  if (on === blocks.length)
    return { text: `${warning}${d.name}: all memory sections (${on}) already online\n`, nothingToDo: true };
  const state = movable ? 'online_movable' : 'online';
  for (const id of blocks) if (!k.blocks.isOnline(id)) k.blocks.setState(id, state);
  return { text: on ? `${warning}${d.name}: ${sections(on)} already online\n` : '', nothingToDo: false };
}

/** dev_offline_memory: counts the blocks already offline, then offlines the rest. */
function offlineMemoryOf(k: Kernel, d: DaxDevice): Xline {
  const blocks = d.kmem?.blocks ?? [];
  const off = blocks.filter((id) => !k.blocks.isOnline(id)).length;
  if (off === blocks.length)
    return { text: `${d.name}: all memory sections (${off}) already offline\n`, nothingToDo: true };
  for (const id of blocks) if (k.blocks.isOnline(id)) k.blocks.setState(id, 'offline');
  return { text: off ? `${d.name}: ${sections(off)} already offline\n` : '', nothingToDo: false };
}

export function reconfigureDevice(k: Kernel, a: Extract<Action, { kind: 'reconfigure-device' }>): string {
  const d = findDax(k, a.device);
  if (a.mode === 'system-ram') {
    // reconfig_mode_system_ram: unless told to online non-movable, refuse where the kernel would online the
    // blocks first (auto_online_blocks online*), -f overriding; then a device already in kmem is not re-enabled
    if (k.blocks.autoOnline !== 'offline' && (!a.online || a.movable) && !a.force) {
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
    let already: string;
    if (d.driver === 'kmem') {
      already = `${d.name} was already in system-ram mode\n`;
    } else {
      devDaxRemove(d);
      // util_bind: kmem's new_id (which probes every unbound device kmem has an id for), then bind if still unbound
      idStore(k, 'kmem', 'new_id', d.name);
      if (!d.kmem) enable(k, d);
      already = poisonWarning(k, d);
    }
    // all blocks already online (the kernel's policy onlined them) is not a failure here: do_reconfig goes on
    const onlined = a.online ? onlineMemoryOf(k, d, a.movable).text : '';
    return `${already}${onlined}reconfigured 1 device\n${json(k, d)}`;
  }
  // disable_system_ram_device finds no kmem memory: already devdax is nothing to do, an unbound device is bound
  if (d.driver === 'device_dax') return `${d.name} was already in devdax mode\nreconfigured 1 device\n${json(k, d)}`;
  if (d.driver !== 'kmem') {
    devDaxProbe(k, d);
    return `reconfigured 1 device\n${json(k, d)}`;
  }
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
  // disable_system_ram_device: -f runs dev_offline_memory, which reports blocks already offline
  const offlined = a.force ? offlineMemoryOf(k, d).text : '';
  const r = kmemRemove(k, d);
  if (r.leaked) throw daxctlFailure(`${d.name}: cannot be hotremoved until the next reboot\n`, EBUSY, r.why);
  kmemIdSet(d, false);
  devDaxProbe(k, d);
  return `${offlined}reconfigured 1 device\n${json(k, d)}`;
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

/** A command whose every block already was in the state asked for counts no device and returns 1. */
function xlineResult(r: Xline, verb: 'onlined' | 'offlined'): string {
  if (!r.nothingToDo) return `${r.text}${verb} memory for 1 device\n`;
  throw new ToolFailure(
    'daxctl-nothing-to-do',
    `${r.text}${verb} memory for 0 devices\n`,
    0,
    why(`every memory block of the device was already ${verb.slice(0, -1)}`, 'daxctl/device.c:do_xline'),
  );
}

export function onlineMemory(k: Kernel, a: Extract<Action, { kind: 'online-memory' }>): string {
  return xlineResult(onlineMemoryOf(k, kmemDevice(k, a.device, 'onlining'), a.movable), 'onlined');
}

export function offlineMemory(k: Kernel, a: Extract<Action, { kind: 'offline-memory' }>): string {
  return xlineResult(offlineMemoryOf(k, kmemDevice(k, a.device, 'offlining')), 'offlined');
}
