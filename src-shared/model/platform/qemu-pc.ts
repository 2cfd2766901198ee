// Constants of QEMU's `pc` machine with SeaBIOS and -nodefaults, keyed by the
// QEMU version they were observed on (docs/model.md says how each was seen).
import { GiB } from '../../units';

export interface PcConstants {
  /**
   * SeaBIOS keeps the top of RAM below 4 GiB for its tables: that much is e820
   * Reserved (one page more with nvdimm=on, for the NVDIMM ACPI buffer).
   */
  lowRamReserved: (nvdimm: boolean) => number;
  /** Fixed resources below 1 MiB and in the 4 GiB hole: [start, end, name, depth] */
  lowArea: [number, number, string, number][];
  hole: [number, number, string, number][];
  /** The 32-bit PCI window runs from the end of low RAM to here. */
  pci32End: number;
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
}

export const PC: Record<string, PcConstants> = {
  '7.2': {
    lowRamReserved: (nvdimm) => (nvdimm ? 0x21000 : 0x20000),
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
    splitAt: 0xe0000000,
    lowRamWhenSplit: 0xc0000000,
    deviceMemPerSlot: GiB,
    pci64Size: 2 * GiB,
    amdHtReserved: [0xfd00000000, 0xffffffffff],
    dimmAlign: 2 * 1024 * 1024,
  },
};

export const DEFAULT_QEMU = '7.2';

export function pcConstants(qemu: string): PcConstants {
  const key = Object.keys(PC).find((v) => qemu === v || qemu.startsWith(`${v}.`));
  return PC[key ?? DEFAULT_QEMU]!;
}
