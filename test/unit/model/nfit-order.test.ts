// QEMU's NFIT order (platform/nfit-order.ts) against what guests showed: the
// fuzzer's four- and three-NVDIMM profiles and the shipped nvdimm-nfit-order
// scenario (nine ids, past glib's first in-place growth). Recorded evidence:
// test/fixtures/real/nvdimm-nfit-order.json.
import { describe, expect, it } from 'vitest';
import { gHashTableOrder, nfitOrder } from '../../../src-shared/model/platform/nfit-order';

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("QEMU's NFIT order: the peripheral container's GHashTable", () => {
  it('puts the third of four NVDIMMs second (seen: the 518 MiB nvdimm2 was region1)', () => {
    expect(gHashTableOrder(ids(4, 'nvdimm'))).toEqual(['nvdimm0', 'nvdimm2', 'nvdimm1', 'nvdimm3']);
  });

  it('numbers three NVDIMMs 0, 2, 1 by address (seen: region2 before region1)', () => {
    expect(gHashTableOrder(ids(3, 'nvdimm'))).toEqual(['nvdimm0', 'nvdimm2', 'nvdimm1']);
  });

  it('follows the table through its growth from 8 to 16 slots at the eighth id', () => {
    expect(gHashTableOrder(ids(9, 'nv'))).toEqual(['nv7', 'nv0', 'nv6', 'nv5', 'nv4', 'nv3', 'nv2', 'nv8', 'nv1']);
  });

  it('keeps every name once, whatever they hash to', () => {
    const names = [...ids(40, 'd'), 'pmem-a', 'x', 'nvdimm1', 'cxl0', 'Z_9'];
    expect(gHashTableOrder(names).sort()).toEqual([...names].sort());
  });

  it('keeps each NVDIMM with its id', () => {
    const devs = ids(3, 'nvdimm').map((id, i) => ({ id, start: i }));
    expect(nfitOrder(devs).map((d) => d.start)).toEqual([0, 2, 1]);
  });
});
