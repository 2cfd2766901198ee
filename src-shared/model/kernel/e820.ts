// The iomem tree the kernel builds at boot from the firmware's e820 map
// (arch/x86/kernel/e820.c: parse_memmap_one for `memmap=SIZE!START`,
// e820__reserve_resources), with the kernel image in the first System RAM
// (arch/x86/kernel/setup.c) and the PCI windows and fixed devices the
// firmware describes (arch/x86/pci/acpi.c, drivers/pnp).
import { physToTargetNode } from './numa-meminfo';
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
import { reserveRamBuffers } from './ram-buffer';
import { applyMemmap, E820_PRAM, E820_RAM, E820_RESERVED } from './memmap';

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

/** Firmware resources in order; an entry of depth d nests under the last entry of depth d - 1. */
function insertFirmware(root: Resource, list: FirmwareResource[]): void {
  const parents: Resource[] = [root];
  for (const f of list) {
    const flags = f.kind === 'fixed' && f.name === 'System RAM' ? BUSY_RAM : IORESOURCE_MEM;
    const desc = f.kind === 'e820-reserved' ? Desc.Reserved : Desc.None;
    const res = new Resource(f.start, f.end, f.name, flags, desc, f.why);
    const parent = parents[f.depth];
    if (!parent) continue;
    requestResourceConflict(parent, res);
    parents[f.depth + 1] = res;
    parents.length = f.depth + 2;
  }
}

export interface BootMemory {
  root: Resource;
  /** e820 System RAM after memmap=, split at NUMA node boundaries */
  bootRam: RamRange[];
  /** e820 type 12 ranges in address order, with the node of their address (-1 outside every node's RAM) */
  legacyPmem: RamRange[];
  /** memmap= arguments the model does not carry out */
  notModelled: string[];
}

/** e820__reserve_resources and the rest of the boot-time tree. */
export function e820ReserveResources(machine: Machine): BootMemory {
  const root = createRoot(machine.physBits);
  const firmwareRam = machine.e820Ram.map((r) => ({ ...r, type: E820_RAM }));
  const { table, notModelled } = applyMemmap(firmwareRam, machine.kernelArgs);
  const ram = table.filter((e) => e.type === E820_RAM);
  const carves = table.filter((e) => e.type === E820_PRAM);

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
    'memmap=SIZE!START (or %START+12) makes the range e820 type 12, named "Persistent Memory (legacy)"',
    'arch/x86/kernel/e820.c:e820__reserve_resources',
  );
  for (const cut of carves) {
    const name = 'Persistent Memory (legacy)';
    const pmem = new Resource(cut.start, cut.end, name, IORESOURCE_MEM, Desc.PersistentMemoryLegacy, pmemRule);
    requestResourceConflict(root, pmem);
  }
  const reserved = why('memmap= made the range e820 reserved', 'arch/x86/kernel/e820.c:e820__reserve_resources');
  for (const r of table.filter((e) => e.type === E820_RESERVED)) {
    requestResourceConflict(root, new Resource(r.start, r.end, 'Reserved', IORESOURCE_MEM, Desc.Reserved, reserved));
  }
  insertFirmware(root, machine.upperResources);
  reserveRamBuffers(root, ram);

  const bootRam: RamRange[] = [];
  for (const r of ram) {
    for (let s = r.start; s <= r.end;) {
      const { node, last } = machine.nodeAt(s);
      const e = Math.min(r.end, last);
      bootRam.push({ start: s, end: e, node });
      s = e + 1;
    }
  }
  // nd_e820 asks phys_to_target_node for each range's node (drivers/nvdimm/e820.c e820_register_one).
  const legacyPmem = carves.map((c) => ({
    start: c.start,
    end: c.end,
    node: physToTargetNode(machine.srat, ram, c.start),
  }));
  return { root, bootRam, legacyPmem, notModelled };
}
