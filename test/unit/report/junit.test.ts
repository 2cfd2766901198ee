// JUnit XML: valid against the common JUnit schema, every hostile text read
// back as written (or made visible where XML cannot hold it), and a run's
// entries as test cases: fidelity by dimension, failures with the
// differences, errors where the guest failed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepLedger } from '../../../src-shared/ledger';
import { renderJUnit, type JUnitSuite } from '../../../src-shared/report/junit';
import { junitSuite, junitTimestamp, runProperties } from '../../../src-shared/report/junit-run';
import { differenceLines } from '../../../src-shared/report/text';
import { devdax, profile, real } from '../ledger/kmem-labels';
import { validateJUnit, xpath } from './junit-schema';

const HOSTILE = `a]]>b <&"'> tab\there\r\nline2 bell\x07 esc\x1b[31m nul\x00 ffff\uFFFF lone\uD800 ok→😀`;
/** What XML can hold of HOSTILE: the characters XML 1.0 forbids, made visible. */
const HELD = `a]]>b <&"'> tab\there\r\nline2 bell\\x07 esc\\x1b[31m nul\\x00 ffff\\u{ffff} lone\\u{d800} ok→😀`;

describe('JUnit XML', () => {
  const hostile: JUnitSuite = {
    name: HOSTILE,
    timestamp: '2026-11-28T10:00:00',
    properties: [{ name: 'kernel', value: HOSTILE }],
    cases: [
      {
        name: HOSTILE,
        classname: 'c',
        time: 1.5,
        outcome: { kind: 'failure', type: 'differ', message: HOSTILE, text: HOSTILE },
        systemOut: HOSTILE,
      },
      { name: 'e', classname: 'c', outcome: { kind: 'error', type: 'guest', message: 'm', text: ']]>' } },
      { name: 's', classname: 'c', outcome: { kind: 'skipped', message: HOSTILE } },
      { name: 'p', classname: 'c' },
    ],
  };
  const xml = renderJUnit('all', [hostile]);

  it('holds hostile text in attributes and text alike, and stays valid', async () => {
    expect(await validateJUnit(xml)).toEqual({ ok: true, messages: expect.any(String) });
    expect(xml).not.toContain(']]>');
    expect(await xpath(xml, 'string(/testsuites/testsuite/@name)')).toBe(HELD);
    expect(await xpath(xml, 'string(//property[@name="kernel"]/@value)')).toBe(HELD);
    expect(await xpath(xml, 'string(//testcase[1]/@name)')).toBe(HELD);
    expect(await xpath(xml, 'string(//testcase[1]/failure/@message)')).toBe(HELD);
    expect(await xpath(xml, 'string(//testcase[1]/failure)')).toBe(HELD);
    expect(await xpath(xml, 'string(//testcase[1]/system-out)')).toBe(HELD);
    expect(await xpath(xml, 'string(//testcase[2]/error)')).toBe(']]>');
    expect(await xpath(xml, 'string(//testcase[3]/skipped/@message)')).toBe(HELD);
  });

  it('counts failures, errors and skipped cases per suite and in all', async () => {
    const counts = (at: string) =>
      xpath(
        xml,
        `concat(${['tests', 'failures', 'errors', 'skipped', 'time'].map((a) => `${at}/@${a}`).join(', "/", ')})`,
      );
    expect(await counts('/testsuites/testsuite')).toBe('4/1/1/1/1.500');
    expect(await counts('/testsuites')).toBe('4/1/1/1/1.500');
  });

  it('is refused by the schema where it breaks the format (so the check can fail)', async () => {
    const broken = xml.replace('<testcase name="p"', '<testcase nom="p"');
    expect((await validateJUnit(broken)).ok).toBe(false);
    expect((await validateJUnit(xml.replace('tests="4"', 'tests="four"'))).ok).toBe(false);
  });
});

describe("a run's entries as a JUnit suite", () => {
  /** boot, a step that agrees with the recorded guest, and one the guest answered otherwise */
  const ledger = new StepLedger(
    profile,
    '6.1',
    (() => {
      let t = 1_000;
      return () => (t += 2_500);
    })(),
  );
  ledger.boot({ snapshot: real(0) });
  const recorded = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../fixtures/real/kmem-labels/steps.json'), 'utf8'),
  ) as { steps: { output?: string }[] };
  const agrees = ledger.step('scenario', devdax, {
    output: recorded.steps[1]!.output!,
    exitCode: 0,
    snapshot: real(1),
  });
  const differs = ledger.step(
    'scenario',
    { run: 'daxctl reconfigure-device --mode=system-ram dax0.0' },
    {
      output: 'error\n',
      exitCode: 1,
      snapshot: real(1),
    },
  );
  const steps = [devdax, differs.step!, { run: 'sleep 100', timeout: 2 }, { run: 'ndctl list' }];

  it('has a case per entry with its fidelity by dimension, and the differences in a failure', async () => {
    const suite = junitSuite({ name: 'kmem-labels', steps: steps.slice(0, 2), entries: ledger.entries, bootMs: 4_200 });
    expect(suite.cases.map((c) => c.name)).toEqual([
      '[0] boot',
      `[1] ${devdax.run}`,
      '[2] daxctl reconfigure-device --mode=system-ram dax0.0',
    ]);
    expect(suite.cases.map((c) => c.time)).toEqual([4.2, 2.5, 2.5]);
    const f = agrees.comparison!.fidelity;
    expect(suite.cases[1]!.properties).toContainEqual({ name: 'fidelity', value: `${f.matched}/${f.total}` });
    expect(suite.cases[1]!.properties).toContainEqual({
      name: 'fidelity.iomem',
      value: `${f.byDimension.iomem.matched}/${f.byDimension.iomem.total}`,
    });
    expect(suite.cases[1]!.outcome).toBeUndefined();
    expect(suite.cases[2]!.outcome).toMatchObject({
      kind: 'failure',
      type: 'differ',
      message: expect.stringMatching(/^model and guest differ in iomem, blocks, exit, output/),
      text: differenceLines(differs.comparison!).join('\n'),
    });
    expect(suite.cases[2]!.systemOut).toBe('error\n');
    const xml = renderJUnit('run', [suite]);
    expect(await validateJUnit(xml)).toMatchObject({ ok: true });
    expect(await xpath(xml, 'string(//testcase[3]/failure)')).toContain('[exit] - real  exit 1');
    expect(await xpath(xml, 'count(//testcase[2]/properties/property)')).toBe('8');
  });

  it('has an error where the guest failed, and skips the steps it never reached', async () => {
    const suite = junitSuite({
      name: 'kmem-labels',
      steps,
      entries: ledger.entries,
      error: 'step 3 (sleep 100) failed: did not finish within 1 s\nconsole: ...',
      properties: runProperties('nvdimm-1g-labels', { kernel: '6.1.0-28-amd64', accel: 'tcg' }),
      timestamp: junitTimestamp(Date.UTC(2026, 10, 28, 9, 30, 5, 123)),
    });
    expect(suite.cases.slice(3)).toEqual([
      {
        name: '[3] sleep 100',
        classname: 'kmem-labels',
        outcome: {
          kind: 'error',
          type: 'guest',
          message: 'the guest failed at step 3: step 3 (sleep 100) failed: did not finish within 1 s',
          text: 'step 3 (sleep 100) failed: did not finish within 1 s\nconsole: ...',
        },
      },
      {
        name: '[4] ndctl list',
        classname: 'kmem-labels',
        outcome: { kind: 'skipped', message: 'not run: the guest failed at step 3' },
      },
    ]);
    expect(suite.properties).toEqual([
      { name: 'profile', value: 'nvdimm-1g-labels' },
      { name: 'kernel', value: '6.1.0-28-amd64' },
      { name: 'accel', value: 'tcg' },
    ]);
    const xml = renderJUnit('run', [suite]);
    expect(await validateJUnit(xml)).toMatchObject({ ok: true });
    expect(await xpath(xml, 'string(/testsuites/testsuite/@timestamp)')).toBe('2026-11-28T09:30:05');
    expect(await xpath(xml, 'concat(/testsuites/@failures, "/", /testsuites/@errors, "/", /testsuites/@skipped)')).toBe(
      '1/1/1',
    );
  });

  it('names the boot when the guest never booted, and skips every step', () => {
    const suite = junitSuite({ name: 's', steps, entries: [], error: 'QEMU exited' });
    expect(suite.cases[0]).toMatchObject({ name: '[0] boot', outcome: { kind: 'error', message: /failed at boot/ } });
    expect(suite.cases.slice(1).map((c) => c.outcome?.kind)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('skips a model-only step and fails a step the model could not follow', () => {
    const l = new StepLedger(profile);
    l.boot({ snapshot: real(0) });
    l.step('scenario', { run: 'ndctl frobnicate' }, { output: '', exitCode: 1, snapshot: real(0) });
    const m = new StepLedger(profile);
    m.boot({ snapshot: real(0) });
    m.step('scenario', { model: 'device-private hmm0 256M' }, { output: '', exitCode: 0, snapshot: real(0) });
    const odd = junitSuite({ name: 's', steps: [], entries: l.entries }).cases[1]!;
    expect(odd.outcome).toMatchObject({ kind: 'failure', type: 'out-of-sync' });
    const only = junitSuite({ name: 's', steps: [], entries: m.entries }).cases[1]!;
    expect(only.outcome).toEqual({ kind: 'skipped', message: 'model-only: not run on the guest' });
  });
});
