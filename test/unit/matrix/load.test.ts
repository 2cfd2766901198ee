// Matrix files, checked before anything boots: every problem named with its
// field and line and what to do; each scenario on each profile listed, with
// the row's kernel in place; kernels checked for the cells about to run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkKernels, loadMatrix, MatrixError } from '../../../src-main/matrix/load';

const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-matrix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const refusal = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(MatrixError);
  return (e as Error).message;
};

// a scenario on its own profile whose hotplug ceiling (16G) lets it add a 10 GiB backend; nvdimm-1g-labels' is 8G
file(
  'big-add.yaml',
  'name: big-add\nprofile: { name: roomy, memory: { size: 2G, slots: 2, maxmem: 16G } }\nsteps:\n' +
    '  - qmp: { execute: object-add, arguments: { qom-type: memory-backend-ram, id: m1, size: 10737418240 } }\n',
);

describe('matrix files', () => {
  it("runs each scenario on each profile listed, with each kernel in place of the profile's", async () => {
    const roomy = loadMatrix(
      file('roomy.yaml', 'name: r\nprofiles: [nvdimm-1g-labels]\nscenarios: [kmem-labels, ./big-add.yaml]\n'),
    );
    // big-add's 10 GiB backend is more than the listed profile's maxmem: refused, naming the scenario and profile
    expect(await refusal(roomy)).toMatch(
      /scenarios\[1\] \(line 3, column \d+\): steps\[0\]\.qmp\.arguments\.size on profile nvdimm-1g-labels: .*maxmem/,
    );
    const ok = await loadMatrix(
      file(
        'ok2.yaml',
        'name: ok\nprofiles: [nvdimm-1g-labels, nvdimm-1g-labelless]\nscenarios: [kmem-labels, kmem-labelless]\n' +
          'kernels: [host, { name: mine, path: k/vmlinux, modules: k/lib/modules/6.8.0 }]\n',
      ),
    );
    expect(ok.cells.map((c) => c.id)).toEqual([
      'nvdimm-1g-labels.host.kmem-labels',
      'nvdimm-1g-labels.host.kmem-labelless',
      'nvdimm-1g-labels.mine.kmem-labels',
      'nvdimm-1g-labels.mine.kmem-labelless',
      'nvdimm-1g-labelless.host.kmem-labels',
      'nvdimm-1g-labelless.host.kmem-labelless',
      'nvdimm-1g-labelless.mine.kmem-labels',
      'nvdimm-1g-labelless.mine.kmem-labelless',
    ]);
    const cell = ok.cells.find((c) => c.id === 'nvdimm-1g-labelless.mine.kmem-labels')!;
    // kmem-labels names nvdimm-1g-labels: the row's profile takes its place, and the row's kernel the profile's
    expect(cell.scenario.name).toBe('kmem-labels');
    expect(cell.profile.name).toBe('nvdimm-1g-labelless');
    expect(cell.profile.kernel).toEqual({ path: join(dir, 'k/vmlinux'), modules: join(dir, 'k/lib/modules/6.8.0') });
    expect(ok.cells[0]!.profile.kernel).toBe('host');
    expect(await refusal(checkKernels(ok, [cell]))).toBe(
      `${join(dir, 'ok2.yaml')}: kernels the cells need are missing:\n` +
        `kernels[1].path: ${join(dir, 'k/vmlinux')} is not there: build your kernel first, or fix the path`,
    );
    await checkKernels(ok, ok.cells.slice(0, 2));
  });

  it('runs each scenario on its own profile when the matrix lists none', async () => {
    const m = await loadMatrix(file('own.yaml', 'name: own\nscenarios: [kmem-labels, dimm-hotplug]\n'));
    expect(m.cells.map((c) => [c.id, c.profile.name])).toEqual([
      ['own.kmem-labels', 'nvdimm-1g-labels'],
      ['own.dimm-hotplug', 'dimm-hotplug'],
    ]);
    expect(m.header.rows).toEqual([{ id: 'own' }]);
  });

  it('names every problem with its field and line, and what to do', async () => {
    const msg = await refusal(
      loadMatrix(
        file(
          'bad.yaml',
          'name: bad\nprofiles: [nope, nvdimm-1g-labels, nvdimm-1g-labels]\nscenarios: [kmem-labels, nothing]\n' +
            'kernels: [host, { preset: hmm, name: host }]\n',
        ),
      ),
    );
    expect(msg.split('\n')).toEqual([
      `${join(dir, 'bad.yaml')} is invalid:`,
      expect.stringMatching(/^profiles\[0\] \(line 2, column 12\): profile "nope" not found; known profiles: big-256g/),
      'profiles[2] (line 2, column 36): nvdimm-1g-labels is listed already (profiles[1]): list each once',
      expect.stringMatching(/^scenarios\[1\] \(line 3, column 26\): scenario "nothing" not found; known scenarios: /),
      'kernels[1] (line 4, column 17): a second kernel labelled "host" (as kernels[0]): give it a name of its own',
    ]);
    expect(await refusal(loadMatrix(file('syntax.yaml', 'name: x\nscenarios: [kmem-labels\n')))).toMatch(
      /syntax\.yaml is invalid:\n\(yaml\): not valid YAML at line \d+/,
    );
    expect(await refusal(loadMatrix(file('keys.yaml', 'name: x\nscenario: [kmem-labels]\n')))).toMatch(
      /\(root\) \(line 1, column 1\): unknown key "scenario"; allowed keys: name, description, profiles, scenarios, /,
    );
    expect(await refusal(loadMatrix(join(dir, 'absent.yaml')))).toBe(
      `matrix file ${join(dir, 'absent.yaml')} not found`,
    );
  });

  it('refuses a preset that does not exist, naming the matrix field', async () => {
    const m = await loadMatrix(
      file('preset.yaml', 'name: p\nscenarios: [kmem-labels]\nkernels: [{ preset: nosuch }]\n'),
    );
    expect(await refusal(checkKernels(m, m.cells))).toMatch(
      /\nkernels\[0\]\.preset: no preset "nosuch"; presets: base/,
    );
  });
});
