// What the guest kernel holds: the iomem tree, memory blocks, the nd bus
// (regions and their namespaces), the dax bus, ACPI memory devices and the
// media errors the lab injects. Each part is changed only by its module.
import type { KernelRuleSet } from '../kernel-rules';
import type { Machine } from '../platform/machine';
import type { DaxDevice } from './dax-bus';
import type { MemoryBlocks } from './memory-blocks';
import type { CxlBus } from './cxl/bus';
import type { Region } from './region';
import type { Resource } from './resource';
import type { VirtioMemDriver } from './virtio-mem';

export interface Kernel {
  rules: KernelRuleSet;
  /** the machine it booted on (read only: the e820 layout, NUMA CPUs, PCI windows) */
  machine: Machine;
  root: Resource;
  blocks: MemoryBlocks;
  regions: Region[];
  /** memory region ids in use (lib/memregion.c): nd regions and the CXL root decoders' next region */
  memregion: Set<number>;
  /** the CXL bus (cxl/bus.ts), when the machine has CXL */
  cxl?: CxlBus;
  dax: Map<string, DaxDevice>;
  /** memory of each ACPI memory device, by QEMU's device id (drivers/acpi/acpi_memhotplug.c acpi_memory_info) */
  acpiMemory: Map<string, { ram: Resource; blocks: number[] }>;
  /** the virtio-mem driver's state of each device, in probe order (virtioN) */
  virtioMem: VirtioMemDriver[];
  /** lab-injected media errors, by namespace name: absolute start and length (drivers/nvdimm/badrange.c) */
  badblocks: Map<string, { start: number; length: number }[]>;
  /** the loaded modules the model follows (test_hmm), each with the device-private chunks it registered */
  modules: Map<string, Resource[]>;
  /** kernel arguments the model does not carry out (cmdline.ts, memmap.ts) */
  notModelled: string[];
  /** what the modelled rules printed (printk.ts), oldest first, without timestamps */
  log: string[];
}
