// The MCP tools' pure parts over real ledger entries (the kmem-labels recording): an entry's summary and text, the
// rule behind a line however the client quotes it, and the rules behind an answer.
import { describe, expect, it } from 'vitest';
import { StepLedger } from '../../../src-shared/ledger';
import { EntrySummarySchema } from '../../../src-main/mcp/schemas';
import { entrySummary, entryText, EntryError, pickEntry } from '../../../src-main/mcp/summary';
import { explainAnswer, explainLine, explainText } from '../../../src-main/mcp/explain';
import { devdax, profile, real } from '../ledger/kmem-labels';

function entries() {
  const l = new StepLedger(profile, '6.1', () => 7);
  l.boot({ snapshot: real(0) });
  l.step('agent', devdax, { output: '{}', exitCode: 0, snapshot: real(1) });
  return l.entries;
}

describe('entry summaries', () => {
  it('carry both answers, the fidelity by dimension and the differing rows, and fit their schema', () => {
    const [boot, step] = entries().map((e) => entrySummary('0123abcd', e));
    expect(boot).toMatchObject({ session: '0123abcd', n: 0, source: 'boot', step: null, agree: true });
    expect(boot!.fidelity!.byDimension.iomem).toEqual({ matched: 18, total: 18 });
    // the boot's guest messages no modelled rule prints are shown, not counted
    expect(boot!.differences.filter((d) => d.counted)).toEqual([]);
    expect(boot!.differences.some((d) => d.dimension === 'log' && !d.counted)).toBe(true);
    // the guest printed '{}' where the model printed ndctl's JSON: output rows on the model's side
    expect(step).toMatchObject({ n: 1, source: 'agent', sent: devdax.run, agree: false, real: { exitCode: 0 } });
    expect(step!.model!.output).toContain('"mode":"devdax"');
    expect(step!.differences.some((d) => d.dimension === 'output' && d.side === 'model' && d.counted)).toBe(true);
    for (const s of [boot, step]) expect(EntrySummarySchema.safeParse(s).success).toBe(true);
    expect(entryText(step!, 2)).toMatch(/^\[1\] ndctl create-namespace .*: DIFFER, fidelity \d+\/\d+ \(iomem 19\/19/);
    expect(entryText(step!, 2).split('\n')).toHaveLength(4); // the head, two rows, "... more"
  });

  it('say why an entry is not compared', () => {
    const l = new StepLedger(profile);
    l.boot({ snapshot: real(0) });
    const e = l.step('agent', { run: 'frobnicate --all' }, { output: '', exitCode: 127, snapshot: real(0) });
    const s = entrySummary('0123abcd', e);
    expect(s.agree).toBe(false);
    expect(s.note).toMatch(/^model out of sync: /);
    expect(entryText(s)).toContain('model out of sync');
  });

  it('pick an entry by number or the newest, and name the entries there are', () => {
    const es = entries();
    expect(pickEntry(es, undefined).n).toBe(1);
    expect(pickEntry(es, 0).n).toBe(0);
    expect(() => pickEntry(es, 5)).toThrow(/entry: no entry 5; this session's timeline has entries 0 to 1/);
    expect(() => pickEntry([], undefined)).toThrow(EntryError);
  });
});

describe('explain', () => {
  const step = entries()[1]!;
  const lines = step.view!.explanations;

  it('finds a model line as printed, without its indent, or by its name', () => {
    const dax = lines.find((x) => x.text.endsWith(': dax0.0'))!;
    expect(explainLine(lines, dax.text)).toMatchObject({ found: true, explanation: dax });
    expect(explainLine(lines, `${dax.text.trim()}\n`)).toMatchObject({ found: true, explanation: dax });
    expect(explainLine(lines, 'dax0.0')).toMatchObject({ found: true, explanation: { rule: expect.any(String) } });
    expect(dax.rule).toMatch(/device_dax/);
  });

  it("gives a line the model does not print the model's lines over its range", () => {
    const r = explainLine(lines, '101200000-101ffffff : something only the guest has');
    expect(r.found).toBe(false);
    expect(r.candidates.map((c) => c.text.trim())).toEqual(
      expect.arrayContaining(['100000000-13fffffff : Persistent Memory', '101200000-13fffffff : dax0.0']),
    );
    // a name printed more than once is ambiguous: every such line is a candidate
    expect(explainLine(lines, 'Reserved')).toMatchObject({ found: false });
    expect(explainLine(lines, 'Reserved').candidates.length).toBeGreaterThan(1);
  });

  it("gives the rules behind a refusal and the model's answer beside the guest's", () => {
    const l = new StepLedger(profile);
    l.boot();
    const refused = l.step('agent', { run: 'ndctl create-namespace -r region0 -m devdax -s 256M -a 1G' });
    const a = explainAnswer(refused);
    expect(a.modelExitCode).not.toBe(0);
    expect(a.rules[0]).toEqual({ rule: expect.any(String), source: expect.stringMatching(/^ndctl\//) });
    expect(explainAnswer(step)).toMatchObject({ realExitCode: 0, modelExitCode: 0 });
    expect(explainText({ n: 1, answer: a })).toMatch(/^model exit [1-9]\d*: .+ \(ndctl\/namespace\.c/);
  });

  it('says so in its text when the model prints no such line, with its lines there', () => {
    const line = explainLine(lines, '13f000000-13fffffff : Guest only');
    const text = explainText({ n: 1, line, answer: explainAnswer(step) }).split('\n');
    expect(text[0]).toBe('the model prints no such line at entry 1; its lines there:');
    expect(text).toContainEqual(expect.stringMatching(/^ {4}101200000-13fffffff : dax0\.0 {2}# .*device_dax/));
    expect(text.at(-1)).toBe('model exit 0 (guest 0)');
  });
});
