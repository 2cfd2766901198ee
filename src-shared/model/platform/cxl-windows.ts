// Where QEMU 7.2 puts the CXL host register area and the fixed memory windows
// (hw/i386/pc.c pc_memory_init, pc_get_cxl_range_start, pc_get_cxl_range_end):
// the 1 MiB host register area right after device memory, which starts at the
// first GiB boundary after RAM above 4 GiB even when the machine has none
// (pc_get_device_memory_range), the windows one after another from the next
// 256 MiB boundary. The 64-bit PCI window then starts after the
// last window instead of after device memory (pc_pci_hole64_start). The
// kernel's cxl_acpi names each window `CXL Window N` in iomem
// (drivers/cxl/acpi.c cxl_parse_cfmws).
import { MiB, alignUp } from '../../units';
import { why } from '../why';
import type { FirmwareResource } from './machine';

/** cxl_host_reg: the host bridges' component registers, one 64 KiB block each. */
export const CXL_HOST_REG_SIZE = MiB;
const CXL_WINDOW_BASE_ALIGN = 256 * MiB;

export interface CxlWindowPlacement {
  index: number;
  start: number;
  end: number;
}

export interface CxlRange {
  /** the host register area's base: the first host bridge's component registers */
  hostRegs: number;
  windows: CxlWindowPlacement[];
  /** the first address after the CXL range (pc_get_cxl_range_end) */
  end: number;
}

/** `rangeStart`: the end of device memory, empty or not (pc_get_cxl_range_start). */
export function placeCxlRange(rangeStart: number, windowSizes: number[]): CxlRange {
  let next = rangeStart + CXL_HOST_REG_SIZE;
  if (windowSizes.length > 0) next = alignUp(next, CXL_WINDOW_BASE_ALIGN);
  const windows = windowSizes.map((size, index) => {
    const w = { index, start: next, end: next + size - 1 };
    next += size;
    return w;
  });
  return { hostRegs: rangeStart, windows, end: next };
}

export const cxlWindowResources = (range: CxlRange, after: string): FirmwareResource[] =>
  range.windows.map((w) => ({
    start: w.start,
    end: w.end,
    name: `CXL Window ${w.index}`,
    kind: 'fixed',
    depth: 0,
    why: why(
      `QEMU places CXL fixed memory window ${w.index} ` +
        (w.index === 0
          ? `at the first 256 MiB boundary after the 1 MiB CXL host register area, which follows ${after}`
          : `right after window ${w.index - 1}`),
      'hw/i386/pc.c:pc_memory_init; drivers/cxl/acpi.c:cxl_parse_cfmws',
    ),
  }));
