// What the probe agent reads from the guest, as the kernel would show it:
// /proc/iomem, /sys/devices/system/memory and node, the nd and dax buses
// (src-shared/snapshot/types.ts; the probe is src-main/kit/guest/agent.sh).
import type { Snapshot } from '../../snapshot/types';
import { cxlSnapshot } from './cxl/snapshot';
import { printIomem } from './iomem';
import { nsHolderName, nsName, sysfsMode } from './namespace';
import { availableSize, regionName } from './region';
import type { Kernel } from './state';
import { virtioMemUnplugged } from './virtio-mem';

/** daxctl's word for a device's mode, by its driver */
const DAX_MODE = { kmem: 'system-ram', device_dax: 'devdax', '': 'unbound' } as const;

/** QEMU's view of each virtio-mem device (query-memory-devices), which the probe dump carries as `V` lines. */
const virtioMemInfo = (k: Kernel) =>
  k.machine.virtioMem.map((d) => ({
    id: d.id,
    memaddr: d.addr,
    maxSize: d.regionSize,
    blockSize: d.blockSize,
    size: d.size,
    requestedSize: d.requestedSize,
    node: d.node,
  }));

export function kernelSnapshot(k: Kernel): Snapshot {
  const blocks = k.blocks.sorted();
  const blockKiB = k.blocks.blockSize / 1024;
  // A block lists under every node that links it; MemTotal counts an online block, less the 4 KiB pages of
  // any memmap it carries (memmap_on_memory: present in its zone, never managed) and any virtio-mem sub-blocks
  // not plugged (kept fake-offline), in its own node.
  const nodes = new Map<number, { ids: number[]; kib: number }>();
  const node = (n: number) => nodes.get(n) ?? nodes.set(n, { ids: [], kib: 0 }).get(n)!;
  // a node with CPUs is online without memory too (arch/x86/mm/numa.c init_cpu_to_node; nvdimm-two-mixed)
  for (const [id, cpus] of k.machine.cpus) if (cpus) node(id);
  for (const b of blocks) {
    for (const n of b.nodes) node(n).ids.push(b.id);
    if (b.online) node(b.node).kib += blockKiB - b.nrVmemmapPages * 4 - virtioMemUnplugged(k, b.id) / 1024;
  }
  return {
    kernel: `model (${k.rules.id} rules)`,
    iomem: printIomem(k.root),
    blockSizeBytes: k.blocks.blockSize,
    autoOnlineBlocks: k.blocks.autoOnline,
    memoryBlocks: blocks.map((b) => ({
      id: b.id,
      state: b.online ? 'online' : 'offline',
      zones: k.blocks.validZones(b),
      node: b.node,
      removable: true,
      ...(b.nrVmemmapPages ? { nrVmemmapPages: b.nrVmemmapPages } : {}),
    })),
    nd: {
      regions: k.regions.map((r) => ({
        name: regionName(r),
        size: r.size,
        align: r.align,
        available: availableSize(r),
        numaNode: r.node,
        targetNode: r.targetNode,
        devtype: 'nd_pmem',
      })),
      namespaces: k.regions.flatMap((r) =>
        r.namespaces
          .filter(() => r.enabled)
          .map((n) => {
            const holder = nsHolderName(n);
            return {
              name: nsName(n),
              region: regionName(r),
              mode: sysfsMode(n),
              size: n.size,
              ...(n.uuid ? { uuid: n.uuid } : {}),
              ...(holder ? { holder } : {}),
            };
          }),
      ),
    },
    dax: {
      devices: [...k.dax.values()]
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
        .map((d) => ({
          name: d.name,
          size: d.end - d.start + 1,
          targetNode: d.targetNode,
          driver: d.driver,
          mode: DAX_MODE[d.driver],
        })),
    },
    numa: {
      nodes: [...nodes.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([id, n]) => ({ id, cpus: k.machine.cpus.get(id) ?? '', memTotalKiB: n.kib, blocks: n.ids })),
    },
    ...(k.machine.virtioMem.length ? { virtioMem: virtioMemInfo(k) } : {}),
    ...(k.cxl ? { cxl: cxlSnapshot(k) } : {}),
    problems: [],
  };
}
