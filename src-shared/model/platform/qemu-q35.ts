// Constants of QEMU's `q35` machine (ICH9 chipset, PCI Express) with SeaBIOS
// and -nodefaults, as observed on guests (docs/model.md "q35"). What differs
// from `pc`: RAM splits below 4 GiB earlier (hw/i386/pc_q35.c pc_q35_init:
// 2 GiB below once RAM reaches 2.75 GiB), the MMCONFIG window sits in the
// 32-bit hole (Q35_HOST_BRIDGE_PCIEXBAR_DEFAULT) with the chipset's root
// complex register block after the HPET, the 64-bit PCI window defaults to
// 32 GiB (Q35_PCI_HOST_HOLE64_SIZE_DEFAULT), and the built-in AHCI controller
// at 00:1f.2 has a memory BAR.
import { GiB } from '../../units';
import type { PcConstants } from './qemu-pc';
import { SEABIOS_HIGH_7_2 } from './seabios-high';

export const Q35: Record<string, PcConstants> = {
  '7.2': {
    machine: 'q35',
    pciHost: 'q35-pcihost',
    // 12 bytes fewer of fixed SMBIOS structures than pc (its DMI table: 409 bytes at 3 GiB, 462 at 20 GiB)
    seabiosHigh: { ...SEABIOS_HIGH_7_2, smbiosFixed: 290 },
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
      // ICH9's root complex register block (hw/isa/lpc_ich9.c ICH9_LPC_RCBA_DEFAULT), reserved by SeaBIOS
      [0xfed1c000, 0xfed1ffff, 'Reserved', 0],
      [0xfee00000, 0xfee00fff, 'Local APIC', 0],
      [0xfffc0000, 0xffffffff, 'Reserved', 0],
    ],
    pci32End: 0xfebfffff,
    // the DSDT's motherboard device for MMCONFIG (PNP0C01) is the sixth PNP device
    mmconfig: { start: 0xb0000000, end: 0xbfffffff, pnp: 'pnp 00:05' },
    // the MCH and the ICH9 functions at 1f (hw/pci-host/q35.c, hw/i386/pc_q35.c): slot 1 is the first free
    pciSlotsTaken: [0, 0x1f],
    builtinPci: [
      {
        slot: 0x1f,
        fn: 2,
        what: 'the ICH9 AHCI controller (ABAR)',
        bars: [{ index: 5, size: 0x1000, prefetch: false }],
      },
    ],
    splitAt: 0xb0000000,
    lowRamWhenSplit: 0x80000000,
    deviceMemPerSlot: GiB,
    pci64Size: 32 * GiB,
    amdHtReserved: [0xfd00000000, 0xffffffffff],
    dimmAlign: 2 * 1024 * 1024,
    physBits: 40,
  },
};
