import { describe, expect, it } from 'vitest';
import { bootProgress } from '../../../src-renderer/views/vm/phases';
import { commandFor } from '../../../src-renderer/lib/shortcuts';
import { entryRows } from '../../../src-shared/ledger/rows';
import type { TimelineEntry } from '../../../src-shared/api/contract';

const key = (
  code: string,
  mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {},
) => ({ code, ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, ...mods });

describe('boot progress', () => {
  it('marks the steps before the current phase done', () => {
    expect(bootProgress('kit', false)).toEqual(['active', 'todo', 'todo', 'todo']);
    expect(bootProgress('kernel', false)).toEqual(['done', 'done', 'active', 'todo']);
    expect(bootProgress('ready', true)).toEqual(['done', 'done', 'done', 'done']);
    expect(bootProgress('crashed', false)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(bootProgress('stopped', true)).toEqual(['done', 'done', 'done', 'done']);
  });
});

describe('shortcuts', () => {
  it('needs Ctrl+Shift and nothing else, so the guest shell keeps its keys', () => {
    expect(commandFor(key('KeyB'))).toBe('boot');
    expect(commandFor(key('KeyS'))).toBe('snapshot');
    expect(commandFor(key('KeyX'))).toBe('stop');
    expect(commandFor(key('KeyB', { shiftKey: false }))).toBeUndefined();
    expect(commandFor(key('KeyB', { altKey: true }))).toBeUndefined();
    expect(commandFor(key('KeyC'))).toBeUndefined();
  });
});

describe('real vs model rows', () => {
  const snap = (iomem: string) => ({
    kernel: '6.1',
    iomem,
    blockSizeBytes: 2 ** 27,
    autoOnlineBlocks: 'offline',
    memoryBlocks: [],
    nd: { regions: [], namespaces: [] },
    dax: { devices: [] },
    numa: { nodes: [] },
  });
  const real = snap('00000000-00000fff : Reserved\n100000000-13fffffff : Persistent Memory\n');
  const model = snap(
    '00000000-00000fff : Reserved\n100000000-13fffffff : Persistent Memory\n  100000000-13fffffff : namespace0.0\n',
  );
  const view = {
    rules: '6.1' as const,
    snapshot: model,
    explanations: [{ text: '  100000000-13fffffff : namespace0.0', rule: 'r', source: 's' }],
    sections: { sectionCount: 0, subsectionCount: 0, mappings: [] },
  };

  it('compares the real snapshot with a what-if model in the renderer', () => {
    const e: TimelineEntry = { n: 1, at: 0, source: 'panel', step: null, real: { snapshot: real }, view };
    const r = entryRows(e, { ...view, rules: '5.0' });
    expect(r.fidelity).toEqual({ matched: 2, total: 3 });
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
