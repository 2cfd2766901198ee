// The iomem tree the kernel builds at boot from the firmware's e820 map
// (arch/x86/kernel/e820.c: parse_memmap_one for `memmap=SIZE!START`,
// e820__reserve_resources), with the kernel image in the first System RAM
// (arch/x86/kernel/setup.c) and the PCI windows and fixed devices the
// firmware describes (arch/x86/pci/acpi.c, drivers/pnp).
import { parseSize } from '../../units';
import { why } from '../why';
import type { FirmwareResource, Machine, RamRange } from '../platform/machine';
import {
  createRoot,
  Desc,
  IORESOURCE_BUSY,
  IORESOURCE_MEM,
  IORESOURCE_SYSTEM_RAM,
  Resource,
  requestResourceConflict,
} from './resource';

type Range = { start: number; end: number };

const BUSY_RAM = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;

/**
 * Where the kernel image sits in the first System RAM range under PVH boot of
 * the reference kernel; these lines move with the build and KASLR and are left
 * out of fidelity (docs/model.md "Platform constants").
 */
const KERNEL_IMAGE: [number, number, string][] = [
  [0x01000000, 0x01e01d31, 'Kernel code'],
  [0x02000000, 0x028eafff, 'Kernel rodata'],
  [0x02a00000, 0x02c4897f, 'Kernel data'],
  [0x03310000, 0x043fffff, 'Kernel bss'],
];

/** memmap=SIZE!START (e820 type 12, persistent memory); other memmap forms are not modelled. */
export function memmapCarveOuts(args: string[]): Range[] {
  const out: Range[] = [];
  for (const a of args) {
    const m = /^memmap=([0-9]+[KMGT]?)!([0-9]+[KMGT]?)$/i.exec(a);
    if (!m) continue;
    const size = parseSize(m[1]!);
    const start = parseSize(m[2]!);
    if (size && start !== undefined) out.push({ start, end: start + size - 1 });
  }
  return out;
}

function subtract(ranges: Range[], cut: Range): Range[] {
  return ranges.flatMap((r) => {
    if (cut.end < r.start || cut.start > r.end) return [r];
    const parts: Range[] = [];
    if (cut.start > r.start) parts.push({ start: r.start, end: cut.start - 1 });
    if (cut.end < r.end) parts.push({ start: cut.end + 1, end: r.end });
    return parts;
  });
}

/** Firmware resources in order; a depth-1 entry nests under the depth-0 entry before it. */
function insertFirmware(root: Resource, list: FirmwareResource[]): void {
  let last: Resource | undefined;
  for (const f of list) {
    const flags = f.kind === 'fixed' && f.name === 'System RAM' ? BUSY_RAM : IORESOURCE_MEM;
    const desc = f.kind === 'e820-reserved' ? Desc.Reserved : Desc.None;
    const res = new Resource(f.start, f.end, f.name, flags, desc, f.why);
    if (f.depth === 0) {
      requestResourceConflict(root, res);
      last = res;
    } else if (last) requestResourceConflict(last, res);
  }
}

export interface BootMemory {
  root: Resource;
  /** e820 System RAM after memmap=, split at NUMA node boundaries */
  bootRam: RamRange[];
  /** e820 type 12 ranges, with the node of their address */
  legacyPmem: RamRange[];
}

/** e820__reserve_resources and the rest of the boot-time tree. */
export function e820ReserveResources(machine: Machine): BootMemory {
  const root = createRoot(machine.physBits);
  const carves = memmapCarveOuts(machine.kernelArgs);
  let ram = machine.e820Ram;
  for (const cut of carves) ram = subtract(ram, cut);

  insertFirmware(root, machine.legacyArea);
  const ramRule = why(
    "e820 RAM from QEMU's memory size, less what SeaBIOS keeps at the top of low RAM" + ' and any memmap= carve-out',
    'arch/x86/kernel/e820.c:e820__reserve_resources',
  );
  for (const r of ram) {
    requestResourceConflict(root, new Resource(r.start, r.end, 'System RAM', BUSY_RAM, Desc.None, ramRule));
  }
  const firstRam = root.children.find((r) => r.name === 'System RAM' && r.start === 0x100000);
  if (firstRam) {
    const image = why(
      'the kernel image (moves with the build and KASLR; outside the fidelity metric)',
      'arch/x86/kernel/setup.c',
    );
    for (const [s, e, name] of KERNEL_IMAGE) {
      requestResourceConflict(firstRam, new Resource(s, e, name, BUSY_RAM, Desc.None, image));
    }
  }
  const pmemRule = why(
    'memmap=SIZE!START turns RAM into e820 type 12, named "Persistent Memory (legacy)"',
    'arch/x86/kernel/e820.c:e820__reserve_resources',
  );
  for (const cut of carves) {
    const name = 'Persistent Memory (legacy)';
    const pmem = new Resource(cut.start, cut.end, name, IORESOURCE_MEM, Desc.PersistentMemoryLegacy, pmemRule);
    requestResourceConflict(root, pmem);
  }
  insertFirmware(root, machine.upperResources);

  const bootRam: RamRange[] = [];
  for (const r of ram) {
    for (let s = r.start; s <= r.end;) {
      const { node, last } = machine.nodeAt(s);
      const e = Math.min(r.end, last);
      bootRam.push({ start: s, end: e, node });
      s = e + 1;
    }
  }
  const legacyPmem = carves.map((cut) => ({ ...cut, node: machine.nodeAt(cut.start).node }));
  return { root, bootRam, legacyPmem };
}
