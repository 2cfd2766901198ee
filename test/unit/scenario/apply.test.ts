// The model never takes the real run down with it: a profile it cannot build,
// or a step its rules throw on, leaves it out of sync with the reason.
import { describe, expect, it } from 'vitest';
import { applyStep, startModel } from '../../../src-shared/scenario/apply';
import { ProfileSchema } from '../../../src-shared/profile/schema';
import type { KernelModel } from '../../../src-shared/model';
import { StepLedger, summarize } from '../../../src-shared/ledger';
import type { Snapshot } from '../../../src-shared/snapshot/types';

// A profile the validation refuses (an NVDIMM with no hotplug space to place it in), handed to the model
// directly: its rules cannot place the NVDIMM and throw.
const fine = ProfileSchema.parse({ name: 'odd', memory: { size: '2G' } });
const odd = { ...fine, nvdimms: [{ id: 'nv0', size: 2 ** 30, node: 0, labels: 0, backing: 'temporary' }] } as never;

describe('a model that cannot follow', () => {
  it('says why it cannot build a profile instead of throwing', () => {
    expect(startModel(odd)).toEqual({
      ok: false,
      outOfSync: expect.stringMatching(/^the model could not follow this boot: region at 0x0 conflicts with Reserved/),
    });
    expect(startModel(fine).ok).toBe(true);
  });

  it('says why a step threw instead of throwing', () => {
    const model = {
      apply: () => {
        throw new Error('a rule that does not hold');
      },
    } as unknown as KernelModel;
    expect(applyStep(model, { run: 'daxctl offline-memory dax0.0' })).toEqual({
      ok: false,
      outOfSync: 'the model could not follow this step: a rule that does not hold',
    });
  });

  it('leaves every real step of a run in place, marked out of sync, and the run disagreeing', () => {
    const real = { kernel: '6.1', iomem: '', memoryBlocks: [] } as unknown as Snapshot;
    const ledger = new StepLedger(odd);
    ledger.boot({ snapshot: real });
    ledger.step('scenario', { run: 'ndctl list' }, { output: '[]', exitCode: 0, snapshot: real });
    expect(summarize(ledger.entries).agree).toBe(false);
    expect(ledger.entries).toHaveLength(2);
    for (const e of ledger.entries)
      expect(e).toMatchObject({
        real: { snapshot: real },
        model: { outOfSync: expect.stringMatching(/conflicts with Reserved/) },
      });
    expect(ledger.entries[1]).toMatchObject({ real: { output: '[]', exitCode: 0 } });
  });
});
