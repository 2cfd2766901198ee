import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStep, parseScenarioYaml, validateScenario } from '../../../src-shared/scenario/schema';

const DIR = join(import.meta.dirname, '../../../scenarios');

describe('scenario schema', () => {
  it('accepts every shipped scenario, each named after its file', () => {
    for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml'))) {
      const r = parseScenarioYaml(readFileSync(join(DIR, f), 'utf8'));
      expect(r.ok, `${f}: ${JSON.stringify(!r.ok && r.errors)}`).toBe(true);
      if (r.ok) expect(`${r.value.name}.yaml`).toBe(f);
    }
  });

  it('reads the design example: a profile by name, run and qmp steps', () => {
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
    expect(r.value.steps.map(describeStep)).toEqual(['ndctl create-namespace -r region0 -m devdax', 'qmp {"execute":"device_add","arguments":{"driver":"pc-dimm","id":"dimm1","memdev":"hp1"}}']);
    expect(r.value.steps[1]!.timeout).toBe(30);
  });

  it('names the field of each mistake', () => {
    const fields = (d: unknown) => {
      const r = validateScenario(d);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(fields({ name: 'x', profile: 'p', steps: [{ run: 'a\nb' }] })).toEqual(['steps[0].run']);
    expect(fields({ name: 'x', profile: 'p', steps: [{ qmp: { execute: 'Device Add' } }] })).toEqual(['steps[0].qmp.execute']);
    expect(fields({ name: 'x', steps: [] })).toEqual(['profile']);
    expect(fields({ name: 'X Y', profile: 'p' })).toEqual(['name']);
    expect(fields({ name: 'x', profile: 'p', steps: [{ run: 'ls', timeout: -1 }] })).toEqual(['steps[0].timeout']);
  });
});
