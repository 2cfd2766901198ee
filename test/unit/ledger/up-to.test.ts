// A ledger cut back to an entry (a session's rewind or fork): the model replays the steps up to it, so the
// entries and the model's state are those of then, and the next step is judged as it was the first time.
import { describe, expect, it } from 'vitest';
import { StepLedger } from '../../../src-shared/ledger';
import { devdax, profile, real } from './kmem-labels';

const destroy = { run: 'ndctl destroy-namespace -f namespace0.0' };

describe('a ledger cut back to an entry', () => {
  it('holds the entries up to it as they were, and judges the next step from the model of then', () => {
    let t = 100;
    const l = new StepLedger(profile, '6.1', () => t++);
    l.boot({ snapshot: real(0) });
    const first = l.step('panel', devdax, { output: '{}', exitCode: 0, snapshot: real(1) });
    l.step('panel', destroy, { output: '', exitCode: 0, snapshot: real(0) });
    const cut = l.upTo(0);
    expect(cut.entries).toEqual(l.entries.slice(0, 1));
    // the namespace is raw again in the model: devdax once more is the step it was the first time
    const again = cut.step('panel', devdax, { output: '{}', exitCode: 0, snapshot: real(1) });
    expect({ ...again, at: 0 }).toEqual({ ...first, at: 0 });
    expect(again.at).toBe(103);
    expect(l.entries).toHaveLength(3);
  });

  it('stops again at a line the model could not read, before the entry it came before', () => {
    const l = new StepLedger(profile);
    l.boot({ snapshot: real(0) });
    l.step('panel', devdax, { output: '{}', exitCode: 0, snapshot: real(1) });
    l.desync('a typed line the model cannot read');
    l.snapshot({ snapshot: real(1) });
    expect(l.upTo(1).outOfSync).toBe('a typed line the model cannot read');
    expect(l.upTo(2).entries[2]!.model).toEqual({ outOfSync: 'a typed line the model cannot read' });
    expect(l.upTo(0).outOfSync).toBeUndefined();
    expect(l.upTo(0).step('panel', devdax, { output: '{}', exitCode: 0, snapshot: real(1) }).model?.exitCode).toBe(0);
  });
});
