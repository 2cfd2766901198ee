// The guest kernel coming up on a machine: the iomem tree from e820
// (e820.ts), one online memory block per block of boot RAM
// (drivers/base/memory.c memory_dev_init), then the nd regions: nd_e820 loads
// before nfit in the guest, so legacy regions are numbered first
// (drivers/nvdimm/e820.c, drivers/acpi/nfit/core.c), and each is probed.
import type { KernelRuleSet } from '../kernel-rules';
import type { Machine } from '../platform/machine';
import { e820ReserveResources } from './e820';
import { memoryBlockSize, MemoryBlocks } from './memory-blocks';
import { regionProbe } from './nd-pmem';
import { nearestOnlineNode, registerRegion, type RegionDesc } from './region';
import type { Kernel } from './state';

const SZ_16M = 16 * 2 ** 20;

export function bootKernel(machine: Machine, rules: KernelRuleSet): Kernel {
  const { root, bootRam, legacyPmem } = e820ReserveResources(machine);
  const bootEnd = Math.max(...bootRam.map((r) => r.end + 1));
  const blocks = new MemoryBlocks(memoryBlockSize(bootEnd));
  for (const r of bootRam) blocks.addBoot(r.start, r.end, r.node);
  const k: Kernel = {
    rules,
    machine,
    root,
    blocks,
    regions: [],
    dax: new Map(),
    acpiMemory: new Map(),
    badblocks: new Map(),
    log: [],
  };
  // Nodes online at boot: those with CPUs or boot memory (arch/x86/mm/numa.c).
  const online = new Set([...bootRam.map((r) => r.node), ...[...machine.cpus].filter(([, c]) => c).map(([n]) => n)]);
  const found: Omit<RegionDesc, 'id' | 'align'>[] = [
    ...legacyPmem.map((l) => ({
      kind: 'e820' as const,
      start: l.start,
      size: l.end - l.start + 1,
      node: nearestOnlineNode(l.node, online),
      targetNode: l.node,
      labelArea: false,
      labelled: false,
    })),
    ...machine.nvdimms.map((n) => ({
      kind: 'nfit' as const,
      start: n.start,
      size: n.size,
      node: nearestOnlineNode(n.node, online),
      targetNode: n.node,
      labelArea: n.labelled,
      labelled: false,
    })),
  ];
  // Region align: 16 MiB, or a page for a region smaller than that (drivers/nvdimm/region_devs.c default_align).
  for (const [id, r] of found.entries()) {
    const region = registerRegion(k.root, { ...r, id, align: r.size >= SZ_16M ? SZ_16M : 4096 });
    k.regions.push(region);
    regionProbe(k, region);
  }
  return k;
}
