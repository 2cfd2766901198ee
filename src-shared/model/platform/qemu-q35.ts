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

/** q35 on the same QEMU and SeaBIOS as `pc`: pc's constants with what the ICH9 machine does its own way. */
export function q35Constants(pc: PcConstants): PcConstants {
  return {
    ...pc,
    machine: 'q35',
    pciHost: 'q35-pcihost',
    // 12 bytes fewer of fixed SMBIOS structures than pc (its DMI table: 409 bytes at 3 GiB, 462 at 20 GiB)
    seabiosHigh: { ...pc.seabiosHigh, smbiosFixed: 290 },
    // ICH9's root complex register block (hw/isa/lpc_ich9.c ICH9_LPC_RCBA_DEFAULT), reserved by SeaBIOS, in
    // address order (a stable sort keeps HPET's nested line after it)
    hole: [...pc.hole, [0xfed1c000, 0xfed1ffff, 'Reserved', 0] as PcConstants['hole'][number]].sort(
      (a, b) => a[0] - b[0],
    ),
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
    pci64Size: 32 * GiB,
  };
}
