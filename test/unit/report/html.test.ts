import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../src-shared/report/html';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import { snapshotOf } from '../snapshot-of';

describe('HTML report', () => {
  const step: TimelineEntry = {
    n: 1,
    at: 0,
    source: 'panel',
    step: { run: 'echo <b>&' },
    sent: 'echo <b>&',
    real: {
      output: '<script>alert(1)</script>',
      exitCode: 0,
      snapshot: snapshotOf('100000000-13fffffff : Persistent Memory\n'),
    },
    model: { output: '', exitCode: 0 },
    view: {
      rules: '6.1',
      snapshot: snapshotOf('100000000-13fffffff : Persistent Memory\n  100000000-13fffffff : dax0.0\n'),
      explanations: [
        {
          text: '  100000000-13fffffff : dax0.0',
          rule: 'device_dax claims the namespace',
          source: 'drivers/dax/bus.c',
        },
      ],
      sections: { sectionCount: 0, subsectionCount: 0, mappings: [] },
    },
    comparison: {
      fidelity: { matched: 1, total: 2 },
      iomem: [
        { side: 'both', text: '100000000-13fffffff : Persistent Memory' },
        { side: 'model', text: '  100000000-13fffffff : dax0.0' },
      ],
      blocks: [],
    },
  };
  const html = renderReport({ title: 'run x', profile: 'p', generatedAt: '2026-11-22T00:00:00Z', steps: [step] });

  it('is self-contained and escapes everything the guest printed', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('echo &#60;b&#62;&#38;');
    expect(html).not.toMatch(/(src|href)=/);
  });

  it('shows the fidelity, the aligned lines and the rule behind a model line', () => {
    expect(html).toContain('fidelity 1/2');
    expect(html).toContain(
      '<tr class="model"><td class="r"></td><td class="m">  100000000-13fffffff : dax0.0</td>' +
        '<td class="why">device_dax claims the namespace <i>(drivers/dax/bus.c)</i></td></tr>',
    );
    expect(html).toContain('<span class="bad">1/2</span> lines and memory blocks agree');
  });
});
