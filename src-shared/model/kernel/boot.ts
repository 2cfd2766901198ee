// The guest kernel coming up on a machine: the iomem tree from e820
// (e820.ts), one online memory block per block of boot RAM
// (drivers/base/memory.c memory_dev_init), then the nd regions: nd_e820 loads
// before nfit in the guest, so legacy regions are numbered first
// (drivers/nvdimm/e820.c, drivers/acpi/nfit/core.c), and each is probed.
import type { KernelRuleSet } from '../kernel-rules';
import type { Machine, RamRange } from '../platform/machine';
import { hotplugPolicy } from './cmdline';
import { e820ReserveResources } from './e820';
import { e820PrintTables } from './e820-table';
import { memoryBlockSize } from './block-size';
import { MemoryBlocks } from './memory-blocks';
import { cxlBusProbe } from './cxl/bus';
import { memregionAlloc } from './memregion';
import { regionProbe } from './nd-pmem';
import { nfitOrder } from '../platform/nfit-order';
import { nearestOnlineNode, registerRegion, type RegionDesc } from './region';
import type { Kernel } from './state';
import { virtioMemProbe } from './virtio-mem';

const SZ_16M = 16 * 2 ** 20;
const SZ_2M = 2 * 2 ** 20;
const SECTION = 2 ** 27;
const DMA_END = 16 * 2 ** 20;
const DMA32_END = 2 ** 32;

/**
 * The node's pg_data_t, allocated top-down from the node's end before its memmap
 * (arch/x86/mm/numa.c alloc_node_data): "NODE_DATA(0) allocated [mem 0x1c61d5000-0x1c61fffff]" on 6.1.
 */
const NODE_DATA_BYTES = 0x2b000;

/**
 * Each node's memmap (64 bytes of struct page per 4 KiB page: 2 MiB per present 128 MiB section) is
 * one memblock allocation, taken top-down from the node's memory, 2 MiB aligned
 * (mm/sparse.c sparse_init_nid, sparse_buffer_init), below the node's pg_data_t: where the node ends on
 * 2 MiB, that takes the top 2 MiB and the memmap ends 2 MiB lower. The blocks it lands in cannot be offlined.
 */
function reserveMemmap(blocks: MemoryBlocks, bootRam: RamRange[]): void {
  for (const node of new Set(bootRam.map((r) => r.node))) {
    const ram = bootRam.filter((r) => r.node === node);
    const end = Math.max(...ram.map((r) => r.end)) + 1;
    const top = Math.floor((end - NODE_DATA_BYTES) / SZ_2M) * SZ_2M;
    blocks.reserveEarly(top - presentSections(ram) * SZ_2M, top - 1);
  }
}

/**
 * Boot memory goes to the buddy allocator at the tail of its free lists
 * (mm/page_alloc.c __free_pages_core, FPI_TO_TAIL), so the kernel's own
 * allocations take the lowest free pages of the node's highest kernel zone
 * (Normal above 4 GiB, else DMA32 from 16 MiB): that block cannot be offlined.
 */
function reserveKernelAllocations(blocks: MemoryBlocks, bootRam: RamRange[]): void {
  for (const node of new Set(bootRam.map((r) => r.node))) {
    const ram = bootRam.filter((r) => r.node === node);
    const normal = ram.find((r) => r.end >= DMA32_END);
    const dma32 = ram.find((r) => r.end >= DMA_END);
    const first = normal ? Math.max(normal.start, DMA32_END) : dma32 && Math.max(dma32.start, DMA_END);
    if (first !== undefined) blocks.reserveEarly(first, first);
  }
}

/** Present sections of address-ordered, disjoint ranges, a section shared by two ranges counted once. */
function presentSections(ram: RamRange[]): number {
  let count = 0;
  let last = -1;
  for (const r of ram) {
    const first = Math.max(Math.floor(r.start / SECTION), last + 1);
    last = Math.floor(r.end / SECTION);
    count += Math.max(0, last - first + 1);
  }
  return count;
}

export function bootKernel(machine: Machine, rules: KernelRuleSet): Kernel {
  const { root, bootRam, legacyPmem, notModelled } = e820ReserveResources(machine);
  const policy = hotplugPolicy(machine.kernelArgs);
  const bootEnd = Math.max(...bootRam.map((r) => r.end + 1));
  const blocks = new MemoryBlocks(memoryBlockSize(bootEnd));
  for (const r of bootRam) blocks.addBoot(r.start, r.end, r.node);
  reserveMemmap(blocks, bootRam);
  reserveKernelAllocations(blocks, bootRam);
  blocks.autoOnline = policy.autoOnline;
  blocks.movableNode = policy.movableNode;
  blocks.memmapOnMemory = policy.memmapOnMemory;
  const k: Kernel = {
    rules,
    machine,
    root,
    blocks,
    regions: [],
    memregion: new Set(),
    dax: new Map(),
    acpiMemory: new Map(),
    virtioMem: [],
    badblocks: new Map(),
    modules: new Map(),
    notModelled: [...policy.notModelled, ...notModelled],
    log: [],
  };
  e820PrintTables(k);
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
    ...nfitOrder(machine.nvdimms).map((n) => ({
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
  for (const r of found) {
    const id = memregionAlloc(k);
    const region = registerRegion(k.root, { ...r, id, align: r.size >= SZ_16M ? SZ_16M : 4096 });
    k.regions.push(region);
    regionProbe(k, region);
  }
  // the kit loads the CXL modules after libnvdimm's: the root decoders take the next memregion ids
  const cxl = cxlBusProbe(k);
  if (cxl) k.cxl = cxl;
  // virtio_pci numbers the virtio devices in PCI slot order, which is the profile's
  for (const [i, dev] of machine.virtioMem.entries()) k.virtioMem.push(virtioMemProbe(k, dev, i));
  return k;
}
