// Constants of QEMU's `pc` machine with SeaBIOS and -nodefaults, keyed by the
// QEMU version they were observed on (docs/model.md says how each was seen).
// `q35` is a PC machine too (hw/i386/pc_q35.c): its constants are in qemu-q35.ts.
import { GiB, alignUp } from '../../units';
import type { PciFunction } from './pci';
import { q35Constants } from './qemu-q35';
import { placeCxlRange } from './cxl-windows';
import { SEABIOS_HIGH_7_2, type SeabiosHighConstants } from './seabios-high';

const FOUR_G = 4 * GiB;

export type MachineType = 'pc' | 'q35';

export interface PcConstants {
  machine: MachineType;
  /** the host bridge's QOM type, whose pci-hole64-size property sizes the 64-bit window */
  pciHost: 'i440FX-pcihost' | 'q35-pcihost';
  /** what SeaBIOS keeps at the top of RAM below 4 GiB for its tables (seabios-high.ts) */
  seabiosHigh: SeabiosHighConstants;
  /** Fixed resources below 1 MiB and in the 4 GiB hole: [start, end, name, depth] */
  lowArea: [number, number, string, number][];
  hole: [number, number, string, number][];
  /** The 32-bit PCI window runs from the end of low RAM to here (around the MMCONFIG window, if any). */
  pci32End: number;
  /** PCI Express's configuration window, an e820 reserved range the kernel claims (arch/x86/pci/mmconfig-shared.c) */
  mmconfig?: { start: number; end: number; pnp: string };
  /** the functions the machine always has on bus 0 that carry memory BARs */
  builtinPci: PciFunction[];
  /** slots of bus 0 the machine's own functions hold: a -device without addr= takes the lowest other one */
  pciSlotsTaken: number[];
  /** pc machines at or above this much RAM put RAM above 4 GiB; below 4 GiB they keep `lowRamWhenSplit` */
  splitAt: number;
  lowRamWhenSplit: number;
  /** Each hotplug slot reserves this much extra device memory (QEMU sizes the region for 1 GiB-aligned DIMMs). */
  deviceMemPerSlot: number;
  /** The 64-bit PCI window that follows RAM or device memory, 1 GiB aligned */
  pci64Size: number;
  /** With an AMD-vendor CPU (TCG's default qemu64) QEMU reserves the HyperTransport range in e820. */
  amdHtReserved: [number, number];
  /** Where DIMMs and NVDIMMs are aligned inside device memory */
  dimmAlign: number;
  /** Physical address bits of the CPU: TCG's qemu64 has 40 (the guest's /proc/cpuinfo "address sizes") */
  physBits: number;
}

export const PC: Record<string, PcConstants> = {
  '7.2': {
    machine: 'pc',
    pciHost: 'i440FX-pcihost',
    seabiosHigh: SEABIOS_HIGH_7_2,
    lowArea: [
      [0x00000000, 0x00000fff, 'Reserved', 0],
      [0x00001000, 0x0009fbff, 'System RAM', 0],
      [0x0009fc00, 0x000fffff, 'Reserved', 0],
      [0x000a0000, 0x000bffff, 'PCI Bus 0000:00', 1],
      [0x000c0000, 0x000c7fff, 'Video ROM', 1],
      [0x000f0000, 0x000fffff, 'System ROM', 1],
    ],
    hole: [
      [0xfec00000, 0xfec003ff, 'IOAPIC 0', 0],
      [0xfed00000, 0xfed003ff, 'HPET 0', 0],
      [0xfed00000, 0xfed003ff, 'PNP0103:00', 1],
      [0xfee00000, 0xfee00fff, 'Local APIC', 0],
      [0xfffc0000, 0xffffffff, 'Reserved', 0],
    ],
    pci32End: 0xfebfffff,
    builtinPci: [],
    // the i440FX host bridge and the PIIX3 (ISA, IDE, ACPI): a virtio-mem-pci device was seen at 00:02.0
    pciSlotsTaken: [0, 1],
    splitAt: 0xe0000000,
    lowRamWhenSplit: 0xc0000000,
    deviceMemPerSlot: GiB,
    pci64Size: 2 * GiB,
    amdHtReserved: [0xfd00000000, 0xffffffffff],
    dimmAlign: 2 * 1024 * 1024,
    physBits: 40,
  },
};

export const Q35: Record<string, PcConstants> = Object.fromEntries(
  Object.entries(PC).map(([version, pc]) => [version, q35Constants(pc)]),
);

export const DEFAULT_QEMU = '7.2';

export function pcConstants(qemu: string, machine: MachineType = 'pc'): PcConstants {
  const table = machine === 'q35' ? Q35 : PC;
  const key = Object.keys(table).find((v) => qemu === v || qemu.startsWith(`${v}.`));
  return table[key ?? DEFAULT_QEMU]!;
}

/**
 * Where RAM above 4 GiB starts and the last guest-physical address the pc
 * machine uses (the end of the 64-bit PCI window, which follows device memory
 * or, with CXL, the last CXL fixed memory window). QEMU moves RAM above 4 GiB
 * to 1 TiB when it would reach the AMD HyperTransport hole
 * (hw/i386/pc.c x86_update_above_4g_mem_start, pc_max_used_gpa, pc_pci_hole64_start).
 * `cxlWindows`: the window sizes, when the machine has CXL.
 */
export function pcAddressSpace(
  c: PcConstants,
  aboveRam: number,
  deviceSize: number,
  cxlWindows?: number[],
): { aboveStart: number; maxUsed: number } {
  const used = (start: number) => {
    // pc_get_cxl_range_start: device memory's end; it starts at the first GiB after RAM above 4 GiB, even when empty
    const memEnd = alignUp(start + aboveRam, GiB) + deviceSize;
    const end = cxlWindows ? placeCxlRange(memEnd, cxlWindows).end : memEnd;
    return alignUp(alignUp(end, GiB) + c.pci64Size, GiB) - 1;
  };
  const aboveStart = used(FOUR_G) >= c.amdHtReserved[0] ? 2 ** 40 : FOUR_G;
  return { aboveStart, maxUsed: used(aboveStart) };
}

/** Device memory: maxmem - RAM, plus 1 GiB per slot for aligned DIMMs (hw/i386/pc.c pc_memory_init). */
export function pcDeviceMemSize(memory: { size: number; slots?: number; maxmem?: number }, c: PcConstants): number {
  const { size, slots, maxmem } = memory;
  return slots !== undefined && maxmem !== undefined ? maxmem - size + slots * c.deviceMemPerSlot : 0;
}

/** QEMU refuses to start a machine whose last used address the CPU cannot reach (hw/i386/pc.c pc_memory_init). */
export function pcAddressLimitError(
  c: PcConstants,
  aboveRam: number,
  deviceSize: number,
  cxlWindows?: number[],
): string | undefined {
  const { maxUsed } = pcAddressSpace(c, aboveRam, deviceSize, cxlWindows);
  const limit = 2 ** c.physBits - 1;
  if (maxUsed <= limit) return undefined;
  return (
    `the machine would use addresses up to 0x${maxUsed.toString(16)} but qemu64 under TCG has ${c.physBits} ` +
    `physical address bits (up to 0x${limit.toString(16)}): QEMU refuses to start ("phys-bits too low")`
  );
}
