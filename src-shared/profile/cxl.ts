// The profile's `cxl` field: CXL fixed memory windows and persistent type-3
// devices (QEMU 7.2 has no volatile ones). The topology between them is
// derived: one pxb-cxl host bridge on q35's pcie.0, one cxl-rp root port per
// device, every window targeting that host bridge (docs/model.md "CXL").
import { z } from 'zod';
import { KiB, MiB, formatSize, sizeWords } from '../units';
import { multiplesAround, qemuId, size } from './fields';

/**
 * QEMU 7.2 refuses other window sizes (hw/cxl/cxl-host.c cxl_fixed_memory_window_config: "Size of a CXL fixed
 * memory window must my a multiple of 256MiB").
 */
export const CXL_WINDOW_ALIGN = 256 * MiB;
/**
 * A type-3 device announces its capacity in 256 MiB units (hw/mem/cxl_type3.c build_dvsecs masks the backend's size
 * with 0xF0000000), so QEMU accepts any backend but the guest sees it rounded down.
 */
export const CXL_DEVICE_ALIGN = 256 * MiB;
/** The lab's floor for a label area, as for NVDIMMs: room for ndctl's two index blocks and a few labels. */
export const CXL_MIN_LABEL = 128 * KiB;
/** The host bridge's first bus number (pxb-cxl bus_nr): room below it for q35's root bus, above it for the ports. */
export const CXL_HOST_BRIDGE_BUS = 12;

export const CxlWindowSchema = z.strictObject({
  /** The fixed memory window's size (QEMU's cxl-fmw.N.size): the host physical space regions are placed in. */
  size: size(),
});

export const CxlDeviceSchema = z.strictObject({
  id: qemuId,
  /** Persistent capacity (the memory backend's size). */
  size: size(),
  /** Label storage area (QEMU's lsa backend); QEMU 7.2 requires one. */
  labels: size().default(256 * KiB),
});

export const CxlSchema = z.strictObject({
  windows: z.array(CxlWindowSchema).max(4, 'at most 4 fixed memory windows').default([]),
  devices: z.array(CxlDeviceSchema).max(8, 'at most 8 type-3 devices (one root port each)').default([]),
});

export type Cxl = z.output<typeof CxlSchema>;
export type CxlDevice = Cxl['devices'][number];

/** QEMU ids of the derived topology; they hold a '.', which profile ids cannot, so they never collide. */
export const CXL_HOST_BRIDGE_ID = 'cxl.1';
export const cxlRootPortId = (index: number) => `cxl.rp${index}`;
export const cxlMemBackendId = (deviceId: string) => `cxl.mem.${deviceId}`;
export const cxlLsaBackendId = (deviceId: string) => `cxl.lsa.${deviceId}`;

type Issue = (path: (string | number)[], message: string) => void;

/** QEMU's refusals of a CXL topology, and the sizes the guest could not see as written. */
export function checkCxl(cxl: Cxl, machine: 'pc' | 'q35', takenIds: Set<string>, issue: Issue): void {
  if (machine !== 'q35')
    issue(
      ['cxl'],
      'CXL needs machine: q35 (QEMU refuses a CXL host bridge on pc: "pxb-cxl devices cannot reside on a PCI bus")',
    );
  cxl.windows.forEach((w, i) => {
    if (w.size === 0 || w.size % CXL_WINDOW_ALIGN !== 0)
      issue(
        ['cxl', 'windows', i, 'size'],
        `QEMU refuses a CXL fixed memory window that is not a multiple of 256M ("must my a multiple of 256MiB"): ` +
          `write ${multiplesAround(w.size, CXL_WINDOW_ALIGN) || formatSize(CXL_WINDOW_ALIGN)}`,
      );
  });
  cxl.devices.forEach((d, i) => {
    if (takenIds.has(d.id)) issue(['cxl', 'devices', i, 'id'], `duplicate id "${d.id}"`);
    takenIds.add(d.id);
    if (d.size === 0 || d.size % CXL_DEVICE_ALIGN !== 0)
      issue(
        ['cxl', 'devices', i, 'size'],
        `a CXL type-3 device announces its capacity in whole 256M (hw/mem/cxl_type3.c build_dvsecs), so the guest ` +
          `cannot see ${sizeWords(d.size)}: write ${multiplesAround(d.size, CXL_DEVICE_ALIGN) || '256M'}`,
      );
    if (d.labels < CXL_MIN_LABEL)
      issue(
        ['cxl', 'devices', i, 'labels'],
        `QEMU 7.2 needs a label area ("lsa property must be set"); the lab asks for at least 128K: write 256K`,
      );
  });
}
