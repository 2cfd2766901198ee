// daxctl's JSON for dax devices and dax regions (daxctl/json.c
// util_daxctl_dev_to_json, util_daxctl_region_to_json), as reconfigure-device,
// daxctl list and ndctl's daxregion print it.
import type { DaxDevice } from '../kernel/dax-bus';
import type { Kernel } from '../kernel/state';
import { jsonHex, jsonSize, type JsonValue } from './json-c';

export interface DaxJsonFlags {
  human: boolean;
  /** -M: the device's physical ranges */
  mappings?: boolean;
}

/**
 * libdaxctl daxctl_memory_is_movable: it reads valid_zones of each of the
 * device's blocks; an offline block ends the scan with an error (no "movable"
 * key), else true when every block is in ZONE_MOVABLE.
 */
function movable(k: Kernel, blocks: number[]): boolean | undefined {
  const found = blocks.map((id) => k.blocks.block(id));
  if (!found.length || found.some((b) => !b?.online)) return undefined;
  return found.every((b) => k.blocks.validZones(b!) === 'Movable');
}

export function daxDevJson(k: Kernel, d: DaxDevice, f: DaxJsonFlags): Record<string, JsonValue> {
  const size = d.end - d.start + 1;
  const j: Record<string, JsonValue> = { chardev: d.name, size: jsonSize(size, f.human) };
  if (d.targetNode >= 0) j.target_node = d.targetNode;
  // the dax region's and device's align: the pfn's, from ndctl -a (drivers/dax/pmem.c __dax_pmem_probe)
  j.align = jsonSize(d.ns.align, f.human);
  j.mode = d.driver === 'kmem' ? 'system-ram' : 'devdax';
  if (d.driver === 'kmem') {
    const blocks = d.kmem?.blocks ?? [];
    j.online_memblocks = blocks.filter((id) => k.blocks.isOnline(id)).length;
    j.total_memblocks = blocks.length;
    const m = movable(k, blocks);
    if (m !== undefined) j.movable = m;
  }
  if (d.driver === '') j.state = 'disabled';
  if (f.mappings) {
    const mapping = { page_offset: jsonHex(0, f.human), start: jsonHex(d.start, f.human) };
    j.mappings = [{ ...mapping, end: jsonHex(d.end, f.human), size: jsonSize(size, f.human) }];
  }
  return j;
}

/**
 * A pmem dax region holds the one device over a namespace's data area. Its
 * "path" (the nd bus's dax instance, whose numbering the model does not
 * follow) is only printed by daxctl list -R, which the model leaves unpredicted.
 */
export function daxRegionJson(
  k: Kernel,
  d: DaxDevice,
  f: DaxJsonFlags & { devices: boolean },
): Record<string, JsonValue> {
  const j: Record<string, JsonValue> = {
    id: d.ns.region.id,
    size: jsonSize(d.end - d.start + 1, f.human),
    align: d.ns.align,
  };
  if (f.devices) j.devices = [daxDevJson(k, d, f)];
  return j;
}
