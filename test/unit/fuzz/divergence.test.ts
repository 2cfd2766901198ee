// Reading a timeline for divergences: per dimension; the model going out of
// sync is a divergence once, and the steps after it are not compared.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import { DIMENSIONS, noFidelity, type Dimension } from '../../../src-shared/compare';
import { divergenceClasses, judge, signature } from '../../../src-shared/fuzz/divergence';
import type { Step } from '../../../src-shared/scenario/schema';

const STEP: Step = { run: 'echo offline > /sys/devices/system/memory/memory3/state' };
/** A comparison whose dimensions all agree on 5 items, but those named, which differ on one of 2. */
const compared = (...differing: Dimension[]) => {
  const fidelity = noFidelity();
  for (const d of DIMENSIONS) {
    const f = differing.includes(d) ? { matched: 1, total: 2 } : { matched: 5, total: 5 };
    fidelity.byDimension[d] = f;
    fidelity.matched += f.matched;
    fidelity.total += f.total;
  }
  const none = { iomem: [], blocks: [], exit: [], output: [], buses: [], nodes: [], log: [] };
  return { comparison: { fidelity, ...none } };
};
const entry = (n: number, extra: Partial<TimelineEntry>): TimelineEntry => ({
  n,
  at: 0,
  source: n ? 'scenario' : 'boot',
  step: n ? STEP : null,
  ...extra,
});

describe('divergences', () => {
  it('names every dimension short of full fidelity', () => {
    expect(divergenceClasses(entry(1, compared('exit', 'log')), false)).toEqual(['exit', 'log']);
    expect(divergenceClasses(entry(1, compared()), false)).toEqual([]);
    expect(divergenceClasses(entry(1, {}), false)).toEqual([]);
  });

  it('counts the model going out of sync once; later steps are not compared', () => {
    const v = judge([
      entry(0, compared()),
      entry(1, compared()),
      entry(2, compared('blocks')),
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
    const v = judge([entry(0, compared('nodes'))]);
    expect(v.divergences).toEqual([{ n: 0, kind: 'boot', classes: ['nodes'] }]);
    expect(v.steps).toBe(0);
  });
});
