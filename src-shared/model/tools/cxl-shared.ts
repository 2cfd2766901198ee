// What cxl's region commands share: how cxl logs (util/log.c: "cxl region:
// <function>: <message>" on stderr), how it matches a memdev or region named on
// the line (cxl/filter.c), and the free space it computes for a root decoder
// (cxl/lib/libcxl.c cxl_decoder_calc_max_available_extent).
import type { CxlBus, CxlMemdev, CxlRegion, CxlRootDecoder } from '../kernel/cxl/bus';

export const cxlLog = (fn: string, message: string) => `cxl region: ${fn}: ${message}\n`;

/** A filter's names (separated by spaces, else by commas, as cxl/filter.c which_sep), any of which may match. */
export const filterHas = (filter: string, matches: (name: string) => boolean): boolean =>
  filter.split(filter.includes(' ') ? ' ' : ',').some((n) => n !== '' && matches(n));

/** util_cxl_memdev_filter: "all", the id, memN, or the PCI host. */
export function memdevMatches(m: CxlMemdev, ident: string): boolean {
  const id = Number(m.name.slice(3));
  const n = /^(?:mem)?(\d+)$/.exec(ident);
  return ident === 'all' || (n !== null && Number(n[1]) === id) || ident === m.name || ident === m.pci;
}

/** util_cxl_region_filter: "all", the id, or regionN. */
export function regionMatches(r: CxlRegion, ident: string): boolean {
  const n = /^(?:region)?(\d+)$/.exec(ident);
  return ident === 'all' || (n !== null && Number(n[1]) === r.id);
}

/** The largest gap between the root decoder's regions that have a size, in address order. */
export function maxAvailableExtent(bus: CxlBus, root: CxlRootDecoder): number {
  const placed = bus.regions
    .filter((r) => r.root === root && r.resource)
    .map((r) => r.resource!)
    .sort((a, b) => a.start - b.start);
  let max = 0;
  let prevEnd = root.start - 1;
  for (const r of placed) {
    max = Math.max(max, r.start - prevEnd - 1);
    prevEnd = r.end;
  }
  return Math.max(max, root.start + root.size - 1 - prevEnd);
}

/**
 * A memdev whose label area holds namespace labels from an earlier region: the kernel reads them back when a
 * region over it comes up (a re-enabled region came back disabled on the guest), which the model does not follow.
 */
export function assertLabelsFollowed(memdevs: CxlMemdev[]): void {
  const labelled = memdevs.filter((m) => m.labelsWritten);
  if (labelled.length)
    throw new Error(
      `the label area of ${labelled.map((m) => m.name).join(', ')} holds namespace labels of an earlier region, ` +
        'which the model does not read back (docs/model.md "CXL")',
    );
}
