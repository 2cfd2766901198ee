// One path for one job: a scenario through `pmem-lab run` and the same steps
// through a backend session (the app's door) give the same timeline entries,
// on two real guests. What the guests answer with randomness (uuids, the
// kernel image's place) may differ; the model's side and the verdict may not.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src-shared/api/contract';
import { LabBackend } from '../../src-main/backend/lab-backend';
import { loadScenario } from '../../src-main/store/scenarios';

/** An entry without what legitimately differs between two guests and two doors. */
const comparable = (e: TimelineEntry) => ({
  n: e.n,
  step: e.step,
  sent: e.sent,
  exitCode: e.real?.exitCode,
  model: e.model,
  view: e.view,
  fidelity: e.comparison?.fidelity,
});

describe('the CLI and the app go through one ledger', () => {
  it('kmem-labels gives the same timeline entries through pmem-lab run --jsonl and through session.act', async () => {
    const cli = await execa('node', ['bin/pmem-lab.js', 'run', 'kmem-labels', '--jsonl', '--accel', 'tcg'], {
      reject: false,
    });
    expect(cli.exitCode, cli.stderr).toBe(0);
    const lines = cli.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const fromCli = lines.filter((l) => !l.summary) as TimelineEntry[];
    expect(lines.at(-1).summary).toMatchObject({ scenario: 'kmem-labels', agree: true });

    const lab = new LabBackend({ mode: 'browser' });
    try {
      const booted = await lab.call('vm.boot', { profile: 'nvdimm-1g-labels' });
      if (!booted.ok) throw new Error(booted.error.message);
      const session = (booted.value as { id: string }).id;
      const end = Date.now() + 120_000;
      for (;;) {
        const t = await lab.call('session.timeline', { session });
        if (t.ok && (t.value as TimelineEntry[]).length) break;
        if (Date.now() > end) throw new Error('the session did not boot');
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const step of (await loadScenario('kmem-labels')).scenario.steps) {
        const r = await lab.call('session.act', { session, step });
        expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
      }
      const t = await lab.call('session.timeline', { session });
      const fromApp = (t.ok ? t.value : []) as TimelineEntry[];
      expect(fromApp.map((e) => e.source)).toEqual(['boot', 'panel', 'panel', 'panel']);
      expect(fromCli.map((e) => e.source)).toEqual(['boot', 'scenario', 'scenario', 'scenario']);
      expect(fromApp.map(comparable)).toEqual(fromCli.map(comparable));
      expect(fromApp.every((e) => e.comparison && e.comparison.fidelity.matched === e.comparison.fidelity.total)).toBe(
        true,
      );
    } finally {
      await lab.stopAll();
    }
  });
});
