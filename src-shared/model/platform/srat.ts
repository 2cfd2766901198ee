// QEMU's SRAT memory affinity entries for a pc machine (hw/i386/acpi-build.c
// build_srat): each node's share of RAM in order, cut at the 640 KiB hole and
// at the end of low RAM (the rest continues above 4 GiB), and device memory
// as one hotpluggable entry of the last node. QEMU builds no SRAT without NUMA
// nodes, but adds node 0 by itself when the machine has hotplug slots
// (hw/core/numa.c numa_complete_configuration, auto_enable_numa_with_memhp).

export interface SratMemory {
  start: number;
  end: number;
  node: number;
  hotplug: boolean;
}

const HOLE_640K_START = 0xa0000;
const HOLE_640K_END = 0x100000;

export interface QemuNode {
  node: number;
  size: number;
}

/** QEMU's NUMA nodes: the profile's, or node 0 with all RAM when there are hotplug slots, or none. */
export function qemuNodes(numa: QemuNode[] | undefined, slots: number | undefined, ram: number): QemuNode[] {
  return numa ?? (slots ? [{ node: 0, size: ram }] : []);
}

export interface SratInput {
  nodes: QemuNode[];
  below4g: number;
  above4gStart: number;
  deviceMem?: { base: number; size: number };
}

/** undefined: QEMU builds no SRAT and the guest falls back to one dummy node. */
export function buildSrat(m: SratInput): SratMemory[] | undefined {
  const { nodes } = m;
  if (!nodes.length) return undefined;
  const out: SratMemory[] = [];
  const add = (start: number, len: number, node: number, hotplug = false) => {
    if (len > 0) out.push({ start, end: start + len - 1, node, hotplug });
  };
  let next = 0;
  for (const { node, size } of nodes) {
    let base = next;
    let len = size;
    next = base + len;
    if (base <= HOLE_640K_START && next > HOLE_640K_START) {
      add(base, HOLE_640K_START - base, node);
      if (next <= HOLE_640K_END) {
        next = HOLE_640K_END;
        continue;
      }
      base = HOLE_640K_END;
      len = next - HOLE_640K_END;
    }
    if (base <= m.below4g && next > m.below4g) {
      add(base, m.below4g - base, node);
      len = next - m.below4g;
      base = m.above4gStart;
      next = base + len;
    }
    add(base, len, node);
  }
  if (m.deviceMem) add(m.deviceMem.base, m.deviceMem.size, nodes[nodes.length - 1]!.node, true);
  return out;
}
