// The "RAM buffer" after each e820 RAM range: the kernel keeps the addresses
// from the end of RAM up to the next boundary from being handed to PCI devices
// (arch/x86/kernel/e820.c e820__reserve_resources_late, ram_alignment), in
// whatever part of that gap is free at the top level (reserve_region_with_split).
import { MiB } from '../../units';
import { why } from '../why';
import { Desc, IORESOURCE_BUSY, IORESOURCE_MEM, Resource, requestResourceConflict } from './resource';

const FLAGS = IORESOURCE_MEM | IORESOURCE_BUSY;

/** ram_alignment: 64 KiB below 1 MiB, 1 MiB below 16 MiB, else 64 MiB. */
function ramAlignment(pos: number): number {
  const mb = Math.floor(pos / MiB);
  if (!mb) return 64 * 1024;
  return mb < 16 ? MiB : 64 * MiB;
}

const RULE = why(
  'the gap from the end of RAM to the next 64 MiB boundary is kept from PCI (the parts no other resource holds)',
  'arch/x86/kernel/e820.c:e820__reserve_resources_late',
);

export function reserveRamBuffers(root: Resource, ram: readonly { start: number; end: number }[]): void {
  for (const r of ram) {
    const start = r.end + 1;
    const align = ramAlignment(start);
    const end = Math.ceil(start / align) * align - 1;
    if (start >= end) continue;
    // the free parts of [start, end] at the top level
    let at = start;
    for (const c of [...root.children].sort((a, b) => a.start - b.start)) {
      if (c.end < at || c.start > end) continue;
      if (c.start > at)
        requestResourceConflict(root, new Resource(at, c.start - 1, 'RAM buffer', FLAGS, Desc.None, RULE));
      at = c.end + 1;
    }
    if (at <= end) requestResourceConflict(root, new Resource(at, end, 'RAM buffer', FLAGS, Desc.None, RULE));
  }
}
