// pmem-lab fuzz on real guests: a short seeded run prints its summary, and
// every divergence comes with a scenario file that `pmem-lab run` loads.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src-main/store/scenarios';
import { validateJUnit, xpath } from '../unit/report/junit-schema';

const out = mkdtempSync(join(tmpdir(), 'pmem-lab-fuzz-'));
const cli = (args: string[]) => execa('node', ['bin/pmem-lab.js', ...args], { reject: false });

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('pmem-lab fuzz', () => {
  it('runs seeded scenarios on real guests and writes a loadable scenario for every divergence', async () => {
    const args = ['--seed', '1', '--count', '2', '--steps', '3', '--minimize-budget', '1', '--accel', 'tcg'];
    const r = await cli(['fuzz', ...args, '--out', out, '--json', '--junit', join(out, 'fuzz.xml')]);
    expect([0, 1], r.stderr).toContain(r.exitCode);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ seed: 1, scenarios: 2, accel: 'tcg', outDir: out, kernel: expect.stringMatching(/^\d/) });
    expect(s.scenarioRuns.map((x: { name: string }) => x.name)).toEqual(['fuzz-1-0', 'fuzz-1-1']);
    expect(s.steps).toBe(s.scenarioRuns.reduce((n: number, x: { steps: number }) => n + x.steps, 0));
    expect(s.agreeRatio).toBeCloseTo(s.steps ? s.agreeing / s.steps : 1);
    expect(r.exitCode).toBe(s.divergences.length || s.errors ? 1 : 0);
    const classes = s.divergences.flatMap((d: { classes: string[] }) => d.classes);
    expect(Object.values(s.byClass).reduce((a, b) => Number(a) + Number(b), 0)).toBe(classes.length);
    for (const d of s.divergences) {
      expect(d.classes.length).toBeGreaterThan(0);
      expect(existsSync(d.file)).toBe(true);
      const { scenario } = await loadScenario(d.file);
      // cut at the diverging step, or fewer steps once minimized
      expect(scenario.steps.length).toBeLessThanOrEqual(d.n);
    }
    // a suite per generated scenario, a case per step and the boot, a failure per diverging step
    const junit = readFileSync(join(out, 'fuzz.xml'), 'utf8');
    expect(await validateJUnit(junit)).toMatchObject({ ok: true });
    expect(await xpath(junit, 'count(//testsuite)')).toBe('2');
    expect(await xpath(junit, 'string(//testsuite[1]/@name)')).toBe('fuzz-1-0');
    expect(await xpath(junit, 'count(//error)')).toBe(String(s.errors));
    if (!s.errors) {
      expect(await xpath(junit, 'count(//testcase)')).toBe(String(s.steps + 2));
      // a diverging step is a failure, and so is every step after the model went out of sync
      expect(await xpath(junit, 'count(//failure)')).toBe(String(s.divergences.length + s.uncompared));
    }
  });

  it('refuses a bad option before anything boots', async () => {
    const r = await cli(['fuzz', '--count', '0']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--count 0');
  });
});
