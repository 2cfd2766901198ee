import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStep, parseScenarioYaml, validateScenario } from '../../../src-shared/scenario/schema';
import { loadScenario } from '../../../src-main/store/scenarios';

const DIR = join(import.meta.dirname, '../../../scenarios');

describe('scenario schema', () => {
  it('accepts every shipped scenario, each named after its file', () => {
    for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml'))) {
      const r = parseScenarioYaml(readFileSync(join(DIR, f), 'utf8'));
      expect(r.ok, `${f}: ${JSON.stringify(!r.ok && r.errors)}`).toBe(true);
      if (r.ok) expect(`${r.value.name}.yaml`).toBe(f);
    }
  });

  it("reads a scenario like README's example: a profile by name, run and qmp steps", () => {
    const r = parseScenarioYaml(`
name: kmem-labels
profile: nvdimm-1g-labels
steps:
  - run: ndctl create-namespace -r region0 -m devdax
  - qmp: { execute: device_add, arguments: { driver: pc-dimm, id: dimm1, memdev: hp1 } }
    timeout: 30
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.steps.map(describeStep)).toEqual([
      'ndctl create-namespace -r region0 -m devdax',
      'qmp {"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm1","memdev":"hp1"}}',
    ]);
    expect(r.value.steps[1]!.timeout).toBe(30);
  });

  it('names the field of each mistake', () => {
    const fields = (d: unknown) => {
      const r = validateScenario(d);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(fields({ name: 'x', profile: 'p', steps: [{ run: 'a\nb' }] })).toEqual(['steps[0].run']);
    expect(fields({ name: 'x', profile: 'p', steps: [{ qmp: { execute: 'Device Add' } }] })).toEqual([
      'steps[0].qmp.execute',
    ]);
    expect(fields({ name: 'x', steps: [] })).toEqual(['profile']);
    expect(fields({ name: 'X Y', profile: 'p' })).toEqual(['name']);
    expect(fields({ name: 'x', profile: 'p', steps: [{ run: 'ls', timeout: -1 }] })).toEqual(['steps[0].timeout']);
  });

  it('names the step, the wrong key and the keys allowed when a step is none of run, qmp, model', () => {
    const errors = (step: unknown) => {
      const r = validateScenario({ name: 'x', profile: 'p', steps: [{ run: 'ls' }, step] });
      return r.ok ? [] : r.errors;
    };
    expect(errors({ runn: 'ls' })).toEqual([
      { field: 'steps[1]', message: 'unknown key "runn"; allowed keys: run, qmp, model, timeout' },
    ]);
    expect(errors({ run: 'ls', wait: 3 })).toEqual([
      { field: 'steps[1]', message: 'unknown key "wait"; allowed keys: run, timeout' },
    ]);
    expect(errors({ run: 'ls', qmp: { execute: 'quit' } })).toEqual([
      { field: 'steps[1]', message: 'keys "run", "qmp" do not go together: use one of run, qmp, model' },
    ]);
    expect(errors({ timeout: 3 })).toEqual([{ field: 'steps[1]', message: 'needs one of the keys run, qmp, model' }]);
    expect(errors('ls')).toEqual([
      { field: 'steps[1]', message: 'expected a mapping with one of the keys run, qmp, model' },
    ]);
    expect(errors({ run: 5 })).toEqual([
      { field: 'steps[1]', message: 'run: Invalid input: expected string, received number' },
    ]);
    expect(errors({ qmp: { execute: 'quit', args: {} } })).toEqual([
      { field: 'steps[1].qmp', message: 'unknown key "args"; allowed keys: execute, arguments' },
    ]);
    expect(validateScenario({ name: 'x', profile: 'p', stepz: [] })).toMatchObject({
      errors: [{ field: '(root)', message: 'unknown key "stepz"; allowed keys: name, description, profile, steps' }],
    });
  });

  it('gives the line and column of a YAML mistake, and of the field a schema error names', () => {
    const syntax = parseScenarioYaml('name: x\nprofile: p\nsteps:\n  - run: [unclosed\n  - run: ls\n');
    expect(syntax).toMatchObject({
      ok: false,
      errors: [
        { field: '(yaml)', message: expect.stringMatching(/^not valid YAML at line 5, column 3: Flow sequence/) },
      ],
    });
    const typo = parseScenarioYaml('name: x\nprofile: p\nsteps:\n  - run: ls\n  - runn: ls\n');
    expect(typo).toMatchObject({
      ok: false,
      errors: [{ field: 'steps[1]', line: 5, column: 5, message: expect.stringContaining('"runn"') }],
    });
    const missing = parseScenarioYaml('name: x\nsteps: []\n');
    expect(missing).toMatchObject({ ok: false, errors: [{ field: 'profile', line: 1, column: 1 }] });
  });

  it('lists the known scenarios when a name is not found', async () => {
    await expect(loadScenario('no-such-scenario')).rejects.toThrow(
      new RegExp(
        '^scenario "no-such-scenario" not found; ' +
          'known scenarios: big-256g, big-64g, cxl-boot, .*dimm-hotplug, .*kmem-labels, .*poison-kmem.* \\(or give',
      ),
    );
    await expect(loadScenario('./nowhere/x.yaml')).rejects.toThrow(/^scenario file \/.*\/nowhere\/x\.yaml not found$/);
  });
});
