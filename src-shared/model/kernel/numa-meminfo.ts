// The node the kernel gives an address that is not boot RAM
// (arch/x86/mm/numa.c phys_to_target_node): the SRAT entry that holds it,
// since numa_cleanup_meminfo keeps every part of an entry that boot RAM does
// not cover (above max_pfn, or carved out by memmap=) in numa_reserved_meminfo
// with its node. Without an SRAT, dummy_numa_init makes one node 0 from 0 to
// the end of boot RAM (max_pfn, after memmap=), and anything above it has no
// node (NUMA_NO_NODE, -1).
import type { SratMemory } from '../platform/srat';

const NUMA_NO_NODE = -1;

export function physToTargetNode(
  srat: SratMemory[] | undefined,
  bootRam: { start: number; end: number }[],
  addr: number,
): number {
  if (srat) return srat.find((e) => e.start <= addr && addr <= e.end)?.node ?? NUMA_NO_NODE;
  const maxPfnAddr = Math.max(0, ...bootRam.map((r) => r.end + 1));
  return addr < maxPfnAddr ? 0 : NUMA_NO_NODE;
}

/**
 * memory_add_physaddr_to_nid (arch/x86/mm/numa.c): the node of the boot-RAM block of numa_meminfo that holds
 * the address, else the first block's node; a guest without an SRAT has one dummy node 0.
 */
export function memoryAddPhysaddrToNid(srat: SratMemory[] | undefined, addr: number): number {
  const ram = srat?.filter((e) => !e.hotplug) ?? [];
  return ram.find((e) => e.start <= addr && addr <= e.end)?.node ?? ram[0]?.node ?? 0;
}
