// The step ledger: one path from a step to a timeline entry, and the
// command line's projections of its entries.
import { describe, expect, it } from 'vitest';
import { modelJsonStep, runJsonStep, StepLedger, summarize } from '../../../src-shared/ledger';
import { devdax, profile, real } from './kmem-labels';

describe('the step ledger', () => {
  it('compares each step the model follows with the guest on every dimension, and adds them up', () => {
    const l = new StepLedger(profile, '6.1', () => 7);
    const boot = l.boot({ snapshot: real(0) });
    const step = l.step('scenario', devdax, { output: '{}', exitCode: 0, snapshot: real(1) });
    // after boot nothing ran: no exit status nor output to compare
    expect(boot).toMatchObject({
      n: 0,
      at: 7,
      source: 'boot',
      step: null,
      comparison: {
        fidelity: {
          byDimension: {
            iomem: { matched: 18, total: 18 },
            blocks: { matched: 16, total: 16 },
            exit: { matched: 0, total: 0 },
            output: { matched: 0, total: 0 },
          },
        },
      },
    });
    expect(step).toMatchObject({
      n: 1,
      sent: devdax.run,
      model: { exitCode: 0, output: expect.stringContaining('"mode":"devdax"') },
      comparison: {
        fidelity: { byDimension: { iomem: { matched: 19, total: 19 }, exit: { matched: 1, total: 1 } } },
        exit: [{ side: 'both', text: 'exit 0' }],
      },
    });
    // the guest printed '{}': every line the model printed is a difference
    expect(step.comparison!.output.some((r) => r.side === 'model')).toBe(true);
    expect(step.view?.explanations.some((x) => x.text.endsWith(': dax0.0') && /device_dax/.test(x.rule))).toBe(true);
    const { fidelity } = summarize(l.entries);
    expect(fidelity.byDimension.iomem).toEqual({ matched: 37, total: 37 });
    expect(fidelity.total).toBe(boot.comparison!.fidelity.total + step.comparison!.fidelity.total);
    expect(fidelity.matched).toBe(boot.comparison!.fidelity.matched + step.comparison!.fidelity.matched);
  });

  it("shows a console line's terminal text but does not count it; a step sent through the probe is counted", () => {
    const entry = (source: 'console' | 'scenario') => {
      const l = new StepLedger(profile);
      l.boot({ snapshot: real(0) });
      return l.step(source, devdax, { output: '.0\n', snapshot: real(1) });
    };
    expect(entry('console').comparison!.fidelity.byDimension.output.total).toBe(0);
    expect(entry('console').comparison!.output.some((r) => r.side === 'model')).toBe(true);
    expect(entry('scenario').comparison!.fidelity.byDimension.output.total).toBeGreaterThan(0);
  });

  it('agrees only when every dimension does: a differing exit status alone is a disagreement', () => {
    // the model's own answers played as the guest's
    const m = new StepLedger(profile);
    m.boot();
    const answer = m.step('scenario', devdax);
    const guest = (exitCode: number) => {
      const l = new StepLedger(profile);
      l.boot({ snapshot: m.entries[0]!.view!.snapshot });
      const e = l.step('scenario', devdax, {
        output: answer.model!.output!,
        exitCode,
        snapshot: answer.view!.snapshot,
      });
      return { e, run: summarize(l.entries) };
    };
    const same = guest(0);
    expect(same.run.agree).toBe(true);
    expect(same.run.fidelity.matched).toBe(same.run.fidelity.total);
    const other = guest(1);
    expect(other.run.agree).toBe(false);
    expect(other.run.fidelity.byDimension.exit).toEqual({ matched: 0, total: 2 });
    expect(other.run.fidelity.total - other.run.fidelity.matched).toBe(2);
    expect(runJsonStep(other.e)).toMatchObject({
      fidelity: { byDimension: { exit: { matched: 0, total: 2 } } },
      diff: {
        iomem: [],
        exit: [
          { side: 'real', text: 'exit 1' },
          { side: 'model', text: 'exit 0' },
        ],
      },
    });
  });

  it('stops following at a line outside the vocabulary and says so on every later entry', () => {
    const l = new StepLedger(profile);
    l.boot({ snapshot: real(0) });
    const odd = l.step('console', { run: 'ndctl frobnicate' }, { exitCode: 1, snapshot: real(0) });
    const after = l.step('console', devdax, { exitCode: 0, snapshot: real(1) });
    const snap = l.snapshot({ snapshot: real(1) });
    expect(odd.model?.outOfSync).toBeTruthy();
    expect(l.outOfSync).toMatch(/^ndctl frobnicate: /);
    for (const e of [odd, after, snap])
      expect(e.view === undefined && e.comparison === undefined && !!e.model?.outOfSync).toBe(true);
    expect(summarize(l.entries).agree).toBe(false);
    expect(runJsonStep(after)).toEqual({ step: devdax, exitCode: 0, real: real(1), outOfSync: l.outOfSync });
  });

  it('shows model-only steps without comparing them, and a run with them still agrees', () => {
    const l = new StepLedger(profile);
    // a guest that agrees with the model after boot (the model's own snapshot)
    l.boot({ snapshot: new StepLedger(profile).boot().view!.snapshot });
    const e = l.step(
      'scenario',
      { model: 'device-private hmm0 256M' },
      { output: '(model-only)', exitCode: 0, snapshot: real(0) },
    );
    const later = l.step('scenario', devdax, { exitCode: 0, snapshot: real(1) });
    expect(e.comparison).toBeUndefined();
    expect(later).toMatchObject({ model: { modelOnly: true } });
    expect(e.view?.snapshot.iomem).toContain(' : hmm0');
    expect(summarize(l.entries).agree).toBe(true);
    // in run --json, modelOnly marks the step that did not run on the guest
    expect(runJsonStep(e).modelOnly).toBe(true);
    expect(runJsonStep(later).modelOnly).toBeUndefined();
  });

  it('replays what it followed under other rules, and projects entries for model --json', () => {
    const l = new StepLedger(profile);
    l.boot();
    l.step('scenario', devdax);
    l.step('scenario', { run: 'daxctl reconfigure-device --mode=system-ram dax0.0' });
    expect(l.entries[2]!.view?.snapshot.iomem).toContain(': System RAM (kmem)\n');
    const w = l.whatIf('5.3');
    expect(w.entries.map((e) => e.n)).toEqual([0, 1, 2]);
    expect(w.entries[2]!.view?.snapshot.iomem).not.toContain('(kmem)');
    // the same steps under the rules the model followed part nowhere; 5.3's first parting is the kmem step
    expect(l.whatIf('6.1').firstDifference).toBeUndefined();
    expect(w.firstDifference).toBe(2);
    expect(Object.keys(modelJsonStep(l.entries[1]!))).toEqual(['step', 'output', 'exitCode', 'explanations', 'model']);
    expect(modelJsonStep(l.entries[0]!)).toEqual({ step: null, model: l.entries[0]!.view!.snapshot });
  });

  it('takes the reason the guest gave for stopping once', () => {
    const l = new StepLedger(profile);
    expect(l.desync('a line edited with cursor keys')).toBe(true);
    expect(l.desync('another')).toBe(false);
    expect(l.outOfSync).toBe('a line edited with cursor keys');
  });
});
