// The e820 tables the kernel prints at boot (arch/x86/kernel/e820.c):
// "BIOS-provided physical RAM map:" with the firmware's table
// (e820__memory_setup), and after a memmap= option "user-defined physical RAM
// map:" with the table that option made (e820__finish_early_params).
import type { Machine } from '../platform/machine';
import { applyMemmap, e820UpdateTable, E820_PRAM, E820_RAM, E820_RESERVED, type E820Entry } from './memmap';
import { printk } from './printk';
import type { Kernel } from './state';

/**
 * The firmware's table: RAM and the reserved ranges the machine describes
 * (iomem's top-level "System RAM" and "Reserved"). The kernel takes the first
 * page from RAM itself (arch/x86/kernel/setup.c trim_bios_range), so for the
 * firmware it is RAM.
 */
function firmwareTable(m: Machine): E820Entry[] {
  const table: E820Entry[] = m.e820Ram.map((r) => ({ ...r, type: E820_RAM }));
  for (const f of [...m.legacyArea, ...m.upperResources]) {
    // a reservation can lie under a window: q35's MMCONFIG under the one the kernel inserts over it, the hole's
    // fixed ranges under the 32-bit window a CXL host bridge's register block gives pcie.0 (firmware-resources.ts)
    if (f.kind === 'window') continue;
    if ((f.name === 'System RAM' && f.depth === 0) || (f.name === 'Reserved' && f.start === 0 && f.end === 0xfff))
      table.push({ start: f.start, end: f.end, type: E820_RAM });
    else if (f.name === 'Reserved') table.push({ start: f.start, end: f.end, type: E820_RESERVED });
  }
  return e820UpdateTable(table);
}

/** e820_print_type */
function typeName(type: number): string {
  if (type === E820_RAM) return 'usable';
  if (type === E820_RESERVED) return 'reserved';
  return type === E820_PRAM ? `persistent (type ${type})` : `type ${type}`;
}

const hex18 = (n: number) => `0x${n.toString(16).padStart(16, '0')}`;

/** e820__print_table: "%s: [mem %#018Lx-%#018Lx] " and the type. */
function printTable(k: Kernel, who: string, table: E820Entry[]): void {
  for (const e of table) printk(k, `${who}: [mem ${hex18(e.start)}-${hex18(e.end)}] ${typeName(e.type)}`);
}

/** After any memmap= argument the kernel prints the table it made (memmap.ts, parse_memmap_one). */
export function e820PrintTables(k: Kernel): void {
  const firmware = firmwareTable(k.machine);
  printk(k, 'BIOS-provided physical RAM map:');
  printTable(k, 'BIOS-e820', firmware);
  if (!k.machine.kernelArgs.some((a) => a.startsWith('memmap='))) return;
  printk(k, 'user-defined physical RAM map:');
  printTable(k, 'user', applyMemmap(firmware, k.machine.kernelArgs).table);
}
