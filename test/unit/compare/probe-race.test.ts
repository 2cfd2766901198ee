// Holders compared up to the renaming nd_region_probe's race can cause, and no
// other (src-shared/compare/probe-race.ts). The raced case is what CI's guest
// showed for memmap-split's last step: namespace0.0 held by pfn0.1 where the
// model, taking the region's seeds first, names it pfn0.0.
import { describe, expect, it } from 'vitest';
import { compare } from '../../../src-shared/compare';
import { differenceLines } from '../../../src-shared/report/text';
import type { NdNamespace, Snapshot } from '../../../src-shared/snapshot/types';
import { snapshotOf } from '../snapshot-of';

const empty = snapshotOf('');
const ns = (name: string, holder: string | undefined): NdNamespace => ({
  name,
  region: `region${name.match(/namespace(\d+)/)![1]}`,
  mode: 'memory',
  size: 2 ** 26,
  ...(holder ? { holder } : {}),
});
const with_ = (...namespaces: NdNamespace[]): Snapshot => ({ ...empty, nd: { regions: [], namespaces } });
const buses = (real: Snapshot, model: Snapshot) => compare({ real, model }).fidelity.byDimension.buses;

describe('the probe race on pfn/dax ids', () => {
  it('accepts the seed and the namespace swapping ids, and says so without counting it', () => {
    const c = compare({ real: with_(ns('namespace0.0', 'pfn0.1')), model: with_(ns('namespace0.0', 'pfn0.0')) });
    expect(c.fidelity.byDimension.buses).toEqual({ matched: 1, total: 1 });
    expect(differenceLines(c)).toEqual([
      "[buses] + model namespace0.0 holder=pfn0.0 (the guest's probe race named it pfn0.1: nd_region_probe)" +
        '  (not counted)',
    ]);
  });

  it('accepts one consistent renaming over a region with two namespaces', () => {
    const real = with_(ns('namespace0.0', 'dax0.2'), ns('namespace0.1', 'dax0.0'));
    const model = with_(ns('namespace0.0', 'dax0.0'), ns('namespace0.1', 'dax0.2'));
    expect(buses(real, model)).toEqual({ matched: 2, total: 2 });
  });

  it('still counts what no race gives', () => {
    // an id beyond what the region's probes could take (one namespace: 0 or 1)
    expect(buses(with_(ns('namespace0.0', 'pfn0.1')), with_(ns('namespace0.0', 'pfn0.2')))).toEqual({
      matched: 0,
      total: 2,
    });
    // another kind of device, another region's device, or none
    expect(buses(with_(ns('namespace0.0', 'dax0.1')), with_(ns('namespace0.0', 'pfn0.0'))).matched).toBe(0);
    expect(buses(with_(ns('namespace0.0', 'pfn1.1')), with_(ns('namespace0.0', 'pfn0.0'))).matched).toBe(0);
    expect(buses(with_(ns('namespace0.0', undefined)), with_(ns('namespace0.0', 'pfn0.0'))).matched).toBe(0);
    // two namespaces the model gives distinct devices that the guest gives one: not a renaming
    const real = with_(ns('namespace0.0', 'pfn0.1'), ns('namespace0.1', 'pfn0.1'));
    const model = with_(ns('namespace0.0', 'pfn0.0'), ns('namespace0.1', 'pfn0.1'));
    expect(buses(real, model)).toEqual({ matched: 1, total: 3 });
  });
});
