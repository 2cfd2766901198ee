// The Real vs model view's fidelity by dimension and the rows beyond /proc/iomem.
import { describe, expect, it } from 'vitest';
import { compare } from '../../../src-shared/compare';
import { dimensionChips, otherDifferences } from '../../../src-renderer/views/compare/dimensions';
import { snapshotOf } from '../snapshot-of';

describe('fidelity by dimension in the Real vs model view', () => {
  const real = { ...snapshotOf('00000000-00000fff : Reserved\n'), log: ['random: crng init done'] };
  const c = compare({
    real,
    model: snapshotOf('00000000-00000fff : Reserved\n'),
    step: { qmp: false, real: { output: 'ok\n', exitCode: 0 }, model: { exitCode: 2 } },
    modelLog: [],
  });

  it('shows a chip per dimension: agreeing, differing, or with nothing counted', () => {
    const chips = Object.fromEntries(dimensionChips(c).map((x) => [x.dimension, x]));
    expect(chips.iomem).toMatchObject({ text: 'iomem 1/1', state: 'ok' });
    expect(chips.exit).toMatchObject({ text: 'exit 0/2', state: 'error' });
    expect(chips.output).toMatchObject({ text: 'output –', state: 'none', uncounted: 1 });
    expect(chips.log).toMatchObject({ state: 'none', uncounted: 1 });
  });

  it('lists the differing rows beyond /proc/iomem, side by side', () => {
    expect(otherDifferences(c).map((l) => `${l.dimension} ${l.side} ${l.text} ${l.counted}`)).toEqual([
      'exit real exit 0 true',
      'exit model exit 2 true',
      'output real ok false',
      'log real random: crng init done false',
    ]);
  });
});
