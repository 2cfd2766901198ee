// What a viewer shows of a timeline entry: the aligned rows, the rule behind
// each model line, the fidelity, and why nothing is compared when so.
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import { entryRows } from '../../../src-shared/ledger/rows';
import { snapshotOf } from '../snapshot-of';

describe("the rows of a timeline entry (the app's Real vs model view, the report)", () => {
  const real = snapshotOf('00000000-00000fff : Reserved\n100000000-13fffffff : Persistent Memory\n');
  const model = snapshotOf(
    '00000000-00000fff : Reserved\n100000000-13fffffff : Persistent Memory\n  100000000-13fffffff : namespace0.0\n',
  );
  const view = {
    rules: '6.1' as const,
    snapshot: model,
    explanations: [{ text: '  100000000-13fffffff : namespace0.0', rule: 'r', source: 's' }],
    sections: { sectionCount: 0, subsectionCount: 0, mappings: [] },
  };

  it('compares the real snapshot with a what-if model ', () => {
    const e: TimelineEntry = { n: 1, at: 0, source: 'panel', step: null, real: { snapshot: real }, view };
    const r = entryRows(e, { ...view, rules: '5.0' });
    expect(r.fidelity).toMatchObject({ matched: 2, total: 3 });
    expect(r.rows.map((x) => x.side)).toEqual(['both', 'both', 'model']);
    expect(r.note).toContain('5.0');
  });

  it('shows the model alone after a model-only step, and says why', () => {
    const e: TimelineEntry = {
      n: 2,
      at: 0,
      source: 'panel',
      step: { model: 'device-private hmm0 256M' },
      real: { snapshot: real },
      model: { modelOnly: true },
      view,
    };
    const r = entryRows(e, null);
    expect(r.fidelity).toBeNull();
    expect(r.rows.every((x) => x.side === 'model')).toBe(true);
    expect(r.note).toMatch(/model-only/);
  });
});
