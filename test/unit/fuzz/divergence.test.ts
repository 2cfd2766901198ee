// Reading a timeline for divergences: per dimension where the comparison
// counts them, else from its difference rows; the model going out of sync is
// a divergence once, and the steps after it are not compared.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import { divergenceClasses, judge, signature } from '../../../src-shared/fuzz/divergence';
import type { Step } from '../../../src-shared/scenario/schema';

const STEP: Step = { run: 'echo offline > /sys/devices/system/memory/memory3/state' };
const full = { matched: 5, total: 5 };
const entry = (n: number, extra: Partial<TimelineEntry>): TimelineEntry => ({
  n,
  at: 0,
  source: n ? 'scenario' : 'boot',
  step: n ? STEP : null,
  ...extra,
});
const compared = (fidelity: object, rows: Partial<NonNullable<TimelineEntry['comparison']>> = {}) => ({
  comparison: { fidelity: fidelity as { matched: number; total: number }, iomem: [], blocks: [], ...rows },
});

describe('divergences', () => {
  it('names every dimension short of full fidelity, when the comparison counts dimensions', () => {
    const byDimension = { iomem: full, blocks: full, exit: { matched: 0, total: 1 }, log: { matched: 1, total: 2 } };
    const e = entry(1, compared({ matched: 12, total: 14, byDimension }));
    expect(divergenceClasses(e, false)).toEqual(['exit', 'log']);
    expect(divergenceClasses(entry(1, compared({ ...full, byDimension: { iomem: full } })), false)).toEqual([]);
  });

  it("falls back to the whole fidelity and the comparison's rows", () => {
    const iomem = [{ side: 'real', text: '100000000-13fffffff : System RAM', depth: 0 }];
    expect(divergenceClasses(entry(1, compared({ matched: 4, total: 5 }, { iomem } as never)), false)).toEqual([
      'iomem',
    ]);
    expect(divergenceClasses(entry(1, compared({ matched: 4, total: 5 })), false)).toEqual(['fidelity']);
    expect(divergenceClasses(entry(1, compared(full)), false)).toEqual([]);
  });

  it('counts the model going out of sync once; later steps are not compared', () => {
    const v = judge([
      entry(0, compared(full)),
      entry(1, compared(full)),
      entry(2, compared({ matched: 3, total: 5 }, { blocks: [{ side: 'model', id: 3 }] } as never)),
      entry(3, { model: { outOfSync: '"cat" is outside the vocabulary' } }),
      entry(4, { model: { outOfSync: '"cat" is outside the vocabulary' } }),
    ]);
    expect(v).toMatchObject({ steps: 4, agreeing: 1, uncompared: 1 });
    expect(v.divergences).toEqual([
      { n: 2, kind: 'block-state', classes: ['blocks'] },
      { n: 3, kind: 'block-state', classes: ['out-of-sync'], reason: '"cat" is outside the vocabulary' },
    ]);
    expect(signature(v.divergences[0]!)).toBe('blocks@block-state');
  });

  it('a divergence at boot is entry 0', () => {
    const v = judge([entry(0, compared({ matched: 1, total: 2 }))]);
    expect(v.divergences).toEqual([{ n: 0, kind: 'boot', classes: ['fidelity'] }]);
    expect(v.steps).toBe(0);
  });
});
