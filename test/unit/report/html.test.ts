import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src-shared/report/html';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import { compare } from '../../../src-shared/compare';
import { snapshotOf } from '../snapshot-of';

describe('HTML report', () => {
  const real = {
    ...snapshotOf('100000000-13fffffff : Persistent Memory\n'),
    log: ['random: crng init done'],
    numa: { nodes: [{ id: 0, memTotalKiB: 1947844, cpus: '0-1', blocks: [0] }] },
  };
  const model = {
    ...snapshotOf('100000000-13fffffff : Persistent Memory\n  100000000-13fffffff : dax0.0\n'),
    numa: { nodes: [{ id: 0, memTotalKiB: 2097152, cpus: '0-1', blocks: [0] }] },
  };
  const step: TimelineEntry = {
    n: 1,
    at: 0,
    source: 'panel',
    step: { run: 'echo <b>&' },
    sent: 'echo <b>&',
    real: {
      output: '<script>alert(1)</script>',
      exitCode: 0,
      snapshot: real,
    },
    model: { exitCode: 1 },
    view: {
      rules: '6.1',
      snapshot: model,
      explanations: [
        {
          text: '  100000000-13fffffff : dax0.0',
          rule: 'device_dax claims the namespace',
          source: 'drivers/dax/bus.c',
        },
      ],
      sections: { sectionCount: 0, subsectionCount: 0, mappings: [] },
    },
    comparison: compare({
      real,
      model,
      step: { qmp: false, real: { output: '<script>alert(1)</script>', exitCode: 0 }, model: { exitCode: 1 } },
      modelLog: [],
    }),
  };
  const html = renderReport({ title: 'run x', profile: 'p', generatedAt: '2026-11-22T00:00:00Z', steps: [step] });

  it('is self-contained and escapes everything the guest printed', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('echo &#60;b&#62;&#38;');
    expect(html).not.toMatch(/(src|href)=/);
  });

  it('shows the fidelity by dimension, the aligned lines and the rule behind a model line', () => {
    expect(html).toContain('fidelity 1/6 (iomem 1/2, exit 0/2, nodes 0/2)');
    expect(html).toContain(
      '<tr class="model"><td class="r"></td><td class="m">  100000000-13fffffff : dax0.0</td>' +
        '<td class="why">device_dax claims the namespace <i>(drivers/dax/bus.c)</i></td></tr>',
    );
    expect(html).toContain('<span class="bad">1/6 (iomem 1/2, exit 0/2, nodes 0/2)</span> items agree');
  });

  it("lists every other dimension's differing rows, and what is shown but not counted", () => {
    expect(html).toContain('<tr class="real"><td>exit</td><td class="r">exit 0</td><td class="m"></td></tr>');
    expect(html).toContain('<tr class="model"><td>exit</td><td class="r"></td><td class="m">exit 1</td></tr>');
    expect(html).toContain('<td class="m">node0 MemTotal=2097152 kB blocks=0</td>');
    // the model predicted no output: the guest's is listed, not counted
    expect(html).toContain(
      '<tr class="real uncounted"><td>output</td><td class="r">&#60;script&#62;alert(1)&#60;/script&#62; ' +
        '<i>(not counted)</i></td>',
    );
    expect(html).toContain('random: crng init done <i>(not counted)</i>');
  });

  it('says a step the next one overlapped was not compared, and why', () => {
    const overlapped: TimelineEntry = {
      n: 2,
      at: 0,
      source: 'console',
      step: { run: 'ndctl list -N' },
      sent: 'ndctl list -N',
      real: { output: '[]', overlapped: 'the next line was typed before this one finished' },
      model: { output: '[]', exitCode: 0 },
    };
    const r = renderReport({ title: 't', profile: 'p', generatedAt: 'now', steps: [overlapped] });
    expect(r).toContain('overlapped, not compared: the next line was typed before this one finished');
  });
});
