// The kernel's messages as the modelled rules print them, in the kernel's
// words (the `log` dimension, design.md "Fidelity by dimension"). A message
// is appended to the kernel's log without its timestamp.
import type { Kernel } from './state';

export function printk(k: Kernel, message: string): void {
  k.log.push(message);
}

/**
 * The messages the model claims to predict, each with the kernel function that
 * prints it: a real message matching one of these is counted against the
 * model's, any other real message is shown but not counted. A pattern belongs
 * here only when the model prints that message exactly (test/unit/model/log-vs-real.test.ts).
 */
/** A memory resource as %pR prints it */
const MEM = String.raw`\[mem 0x[0-9a-f]+-0x[0-9a-f]+\]`;

export const MODELLED_MESSAGES: readonly { pattern: RegExp; source: string }[] = [
  { pattern: /^BIOS-provided physical RAM map:$/, source: 'arch/x86/kernel/e820.c:e820__memory_setup' },
  { pattern: /^BIOS-e820: \[mem 0x[0-9a-f]{16}-0x[0-9a-f]{16}\] /, source: 'arch/x86/kernel/e820.c:e820__print_table' },
  { pattern: /^user-defined physical RAM map:$/, source: 'arch/x86/kernel/e820.c:e820__finish_early_params' },
  { pattern: /^user: \[mem 0x[0-9a-f]{16}-0x[0-9a-f]{16}\] /, source: 'arch/x86/kernel/e820.c:e820__print_table' },
  {
    pattern: /^kmem dax\d+\.\d+: rejecting DAX region with invalid node: -?\d+$/,
    source: 'drivers/dax/kmem.c:dev_dax_kmem_probe',
  },
  {
    pattern: /^kmem dax\d+\.\d+: mapping\d+: 0x[0-9a-f]+-0x[0-9a-f]+ too small after alignment$/,
    source: 'drivers/dax/kmem.c:dev_dax_kmem_probe',
  },
  {
    pattern: /^kmem dax\d+\.\d+: rejecting DAX region without any memory after alignment$/,
    source: 'drivers/dax/kmem.c:dev_dax_kmem_probe',
  },
  { pattern: /^kmem: probe of dax\d+\.\d+ failed with error -\d+$/, source: 'drivers/base/dd.c:call_driver_probe' },
  {
    pattern: /^Block size \[0x[0-9a-f]+\] unaligned hotplug range: start 0x[0-9a-f]+, size 0x[0-9a-f]+$/,
    source: 'mm/memory_hotplug.c:check_hotplug_memory_range',
  },
  {
    pattern: /^acpi PNP0C80:[0-9a-f]{2}: add_memory failed$/,
    source: 'drivers/acpi/acpi_memhotplug.c:acpi_memory_enable_device',
  },
  {
    pattern: /^acpi PNP0C80:[0-9a-f]{2}: acpi_memory_enable_device\(\) error$/,
    source: 'drivers/acpi/acpi_memhotplug.c:acpi_memory_device_add',
  },
  {
    pattern: /^nd_pmem namespace\d+\.\d+: \[mem 0x[0-9a-f]+-0x[0-9a-f]+ flags 0x200\] misaligned, unable to map$/,
    source: 'drivers/nvdimm/namespace_devs.c:nvdimm_namespace_common_probe',
  },
  {
    pattern: /^nd_pmem: probe of namespace\d+\.\d+ failed with error -\d+$/,
    source: 'drivers/base/dd.c:call_driver_probe',
  },
  {
    pattern: new RegExp(`^resource: Unaddressable device \\S+ ${MEM} conflicts with ${MEM}$`),
    source: 'kernel/resource.c:__request_region_locked',
  },
  {
    pattern: /^added new \d+ MB chunk \(total \d+ chunks, \d+ MB\) PFNs \[0x[0-9a-f]+ 0x[0-9a-f]+\)$/,
    source: 'lib/test_hmm.c:dmirror_allocate_chunk',
  },
  { pattern: /^HMM test module loaded\. This is only for testing HMM\.$/, source: 'lib/test_hmm.c:hmm_dmirror_init' },
  {
    pattern: /^virtio_mem virtio\d+: (start address|region size|device block size): 0x[0-9a-f]+$/,
    source: 'drivers/virtio/virtio_mem.c:virtio_mem_init',
  },
  {
    pattern: /^virtio_mem virtio\d+: (memory block size|subblock size): 0x[0-9a-f]+$/,
    source: 'drivers/virtio/virtio_mem.c:virtio_mem_init_hotplug',
  },
  { pattern: /^virtio_mem virtio\d+: nid: -?\d+$/, source: 'drivers/virtio/virtio_mem.c:virtio_mem_init' },
  {
    pattern: /^virtio_mem virtio\d+: (plugged|requested) size: 0x[0-9a-f]+$/,
    source: 'drivers/virtio/virtio_mem.c:virtio_mem_refresh_config',
  },
  {
    pattern: /^virtio_mem virtio\d+: The alignment of the physical (start|end) address can make some memory/,
    source: 'drivers/virtio/virtio_mem.c:virtio_mem_init_hotplug',
  },
];

export function isModelledMessage(line: string): boolean {
  return MODELLED_MESSAGES.some((m) => m.pattern.test(line));
}
