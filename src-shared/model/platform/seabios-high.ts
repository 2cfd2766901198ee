// What SeaBIOS keeps at the top of RAM below 4 GiB (its ZoneHigh): it reserves
// room there, allocates its tables from the top down, and gives back to e820
// RAM the whole pages it did not use (src/malloc.c malloc_prepboot). What
// remains is the e820 Reserved range under the 32-bit PCI window:
// - QEMU's ACPI tables, padded to a fixed size (hw/i386/acpi-build.c);
// - with nvdimm=on, a page for the NVDIMM ACPI buffer (hw/acpi/nvdimm.c);
// - the SMBIOS structure table when it is longer than SeaBIOS keeps in the
//   f-segment (src/fw/biostables.c smbios_build_tables, BUILD_MAX_SMBIOS_FSEG).
// The SMBIOS table is QEMU's structures plus the type 0 SeaBIOS adds: one
// type 17 per 16 GiB of RAM ("DIMM N") and one type 19 per RAM range, below
// and above 4 GiB (hw/smbios/smbios.c smbios_get_tables). Seen on guests of
// 2 to 256 GiB: 388 bytes at 2 GiB, 580 at 64 GiB, 845 at 144 GiB (the first
// size past the limit: the reserve grows from 0x20000 to 0x21000), 1222 at 256 GiB.
import { GiB, alignUp } from '../../units';

export interface SeabiosHighConstants {
  /** QEMU's ACPI tables, as padded */
  acpiTables: number;
  /** the NVDIMM ACPI buffer with nvdimm=on */
  nvdimmBuffer: number;
  /** the longest SMBIOS table SeaBIOS keeps in the f-segment */
  maxSmbiosFseg: number;
  /** every SMBIOS structure whose size does not follow RAM: types 0, 1, 3, 4 (one socket), 16, 32, 127 */
  smbiosFixed: number;
  /** a type 19 (memory array mapped address) */
  smbiosPerRamRange: number;
  /** a type 17 (memory device) without its locator string */
  smbiosPerDimm: number;
  /** QEMU describes RAM as memory devices of at most this size */
  smbiosDimmSize: number;
}

const PAGE = 4096;

/** The SMBIOS structure table's length for a guest's RAM (`highRam`: whether some lies above 4 GiB). */
export function smbiosTableBytes(c: SeabiosHighConstants, ram: number, highRam: boolean): number {
  const dimms = Math.ceil(ram / c.smbiosDimmSize);
  let locators = 0;
  for (let i = 0; i < dimms; i++) locators += `DIMM ${i}`.length + 1;
  return c.smbiosFixed + (highRam ? 2 : 1) * c.smbiosPerRamRange + dimms * c.smbiosPerDimm + locators;
}

/** The e820 Reserved bytes at the top of low RAM, and what they hold. */
export function seabiosHighReserve(
  c: SeabiosHighConstants,
  nvdimm: boolean,
  smbiosBytes: number,
): { bytes: number; holds: string[] } {
  const kept: [number, string][] = [[c.acpiTables, 'its ACPI tables']];
  if (nvdimm) kept.push([c.nvdimmBuffer, 'the NVDIMM ACPI buffer (nvdimm=on)']);
  if (smbiosBytes > c.maxSmbiosFseg) kept.push([alignUp(smbiosBytes, PAGE), `its ${smbiosBytes}-byte SMBIOS table`]);
  return { bytes: kept.reduce((sum, [n]) => sum + n, 0), holds: kept.map(([, what]) => what) };
}

/** QEMU 7.2's pc machine with Debian's SeaBIOS 1.16.2 (its version strings are in the type 0 and type 1-4 sizes). */
export const SEABIOS_HIGH_7_2: SeabiosHighConstants = {
  acpiTables: 0x20000,
  nvdimmBuffer: 0x1000,
  maxSmbiosFseg: 600,
  smbiosFixed: 302,
  smbiosPerRamRange: 33,
  smbiosPerDimm: 46,
  smbiosDimmSize: 16 * GiB,
};
