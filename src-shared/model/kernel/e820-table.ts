// The e820 tables the kernel prints at boot (arch/x86/kernel/e820.c):
// "BIOS-provided physical RAM map:" with the firmware's table
// (e820__memory_setup), and after a memmap= option "user-defined physical RAM
// map:" with the table that option made (e820__finish_early_params).
import type { Machine } from '../platform/machine';
import { memmapCarveOuts } from './e820';
import { printk } from './printk';
import type { Kernel } from './state';

const E820_TYPE_RAM = 1;
const E820_TYPE_RESERVED = 2;
const E820_TYPE_PRAM = 12;

interface E820Entry {
  start: number;
  end: number;
  type: number;
}

/**
 * The firmware's table: RAM and the reserved ranges the machine describes
 * (iomem's top-level "System RAM" and "Reserved"). The kernel takes the first
 * page from RAM itself (arch/x86/kernel/setup.c trim_bios_range), so for the
 * firmware it is RAM.
 */
function firmwareTable(m: Machine): E820Entry[] {
  const table: E820Entry[] = m.e820Ram.map((r) => ({ ...r, type: E820_TYPE_RAM }));
  for (const f of [...m.legacyArea, ...m.upperResources]) {
    if (f.depth !== 0 || f.kind === 'window') continue;
    if (f.name === 'System RAM' || (f.name === 'Reserved' && f.start === 0 && f.end === 0xfff))
      table.push({ start: f.start, end: f.end, type: E820_TYPE_RAM });
    else if (f.name === 'Reserved') table.push({ start: f.start, end: f.end, type: E820_TYPE_RESERVED });
  }
  return e820UpdateTable(table);
}

/** e820__update_table: sorted, where entries overlap the larger type wins, neighbours of one type merged. */
function e820UpdateTable(entries: E820Entry[]): E820Entry[] {
  const points = [...new Set(entries.flatMap((e) => [e.start, e.end + 1]))].sort((a, b) => a - b);
  const out: E820Entry[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, next] = [points[i]!, points[i + 1]!];
    const type = Math.max(0, ...entries.filter((e) => e.start <= start && next - 1 <= e.end).map((e) => e.type));
    if (!type) continue;
    const last = out[out.length - 1];
    if (last && last.type === type && last.end + 1 === start) last.end = next - 1;
    else out.push({ start, end: next - 1, type });
  }
  return out;
}

/** e820_print_type */
function typeName(type: number): string {
  if (type === E820_TYPE_RAM) return 'usable';
  if (type === E820_TYPE_RESERVED) return 'reserved';
  return type === E820_TYPE_PRAM ? `persistent (type ${type})` : `type ${type}`;
}

const hex18 = (n: number) => `0x${n.toString(16).padStart(16, '0')}`;

/** e820__print_table: "%s: [mem %#018Lx-%#018Lx] " and the type. */
function printTable(k: Kernel, who: string, table: E820Entry[]): void {
  for (const e of table) printk(k, `${who}: [mem ${hex18(e.start)}-${hex18(e.end)}] ${typeName(e.type)}`);
}

/** memmap=SIZE!START adds a type 12 range over the firmware's (parse_memmap_one). */
export function e820PrintTables(k: Kernel): void {
  const firmware = firmwareTable(k.machine);
  printk(k, 'BIOS-provided physical RAM map:');
  printTable(k, 'BIOS-e820', firmware);
  const carves = memmapCarveOuts(k.machine.kernelArgs);
  if (!carves.length) return;
  printk(k, 'user-defined physical RAM map:');
  printTable(k, 'user', e820UpdateTable([...firmware, ...carves.map((c) => ({ ...c, type: E820_TYPE_PRAM }))]));
}
