// The kernel command-line arguments the model carries out: the memory hotplug
// policies (mm/memory_hotplug.c setup_memhp_default_state, the
// memory_hotplug.memmap_on_memory parameter; mm/page_alloc.c
// cmdline_parse_movable_node) and memmap= (memmap.ts, applied with the e820
// table). Every other argument is listed as not modelled, never dropped.
import type { OnlineType } from './memory-blocks';

export interface HotplugPolicy {
  /** auto_online_blocks at boot (memhp_default_state=; Debian's kernel defaults to offline) */
  autoOnline: 'offline' | OnlineType;
  /** movable_node: "online" picks ZONE_MOVABLE where no zone claims the block */
  movableNode: boolean;
  /** memory_hotplug.memmap_on_memory: a hot-added range of one block keeps its memmap inside it */
  memmapOnMemory: boolean;
  /** arguments the model neither carries out nor can show the effect of */
  notModelled: string[];
}

const ONLINE_TYPES = new Set(['offline', 'online', 'online_kernel', 'online_movable']);

/** kstrtobool: what a bool module parameter accepts. */
function kstrtobool(v: string): boolean | undefined {
  if (/^(y|1|on)/i.test(v)) return true;
  if (/^(n|0|off)/i.test(v)) return false;
  return undefined;
}

/** The policies of the arguments; memmap= ones are left to the e820 table (memmap.ts). */
export function hotplugPolicy(args: string[]): HotplugPolicy {
  const p: HotplugPolicy = { autoOnline: 'offline', movableNode: false, memmapOnMemory: false, notModelled: [] };
  for (const a of args) {
    const [key, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (key === 'memmap') continue;
    if (key === 'memhp_default_state' && value !== undefined) {
      // an unknown value leaves the default (mhp_online_type_from_str fails, the setup ignores it)
      if (ONLINE_TYPES.has(value)) p.autoOnline = value as HotplugPolicy['autoOnline'];
    } else if (key === 'movable_node' && value === undefined) p.movableNode = true;
    else if (key === 'memory_hotplug.memmap_on_memory' && kstrtobool(value ?? 'y') !== undefined)
      p.memmapOnMemory = kstrtobool(value ?? 'y')!; // a bool parameter without a value is true
    else p.notModelled.push(a);
  }
  return p;
}
