// pmem-lab matrix on real guests: a 2 x 2 matrix (two small profiles, a short
// scenario run on both, and one whose guest fails at a step), its grid, its
// cells' results and JUnit; report merge giving the same grid byte for byte;
// run --junit and a CI job's single cell; Ctrl-C stopping every guest. Its own
// checkpoint store: each profile's first boot is cold and saves, the rest restore.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateJUnit, xpath } from '../unit/report/junit-schema';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-matrix-'));
const env = { PMEM_LAB_CHECKPOINTS: join(dir, 'checkpoints') };
const cli = (args: string[]) =>
  execa('node', [join(ROOT, 'bin/pmem-lab.js'), ...args], { reject: false, cwd: dir, env });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
// a step that hangs: the guest fails there (the agent gives up a second before the host's deadline)
file(
  'hang.yaml',
  'name: hang\nprofile: nvdimm-1g-labels\nsteps:\n  - run: ndctl list -R\n  - run: sleep 100\n    timeout: 3\n' +
    '  - run: ndctl list\n',
);
const matrix = file(
  'm.yaml',
  'name: two-by-two\nprofiles: [nvdimm-1g-labels, nvdimm-1g-labelless]\nscenarios: [kmem-labelless, ./hang.yaml]\n',
);
const ids = [
  'nvdimm-1g-labels.kmem-labelless',
  'nvdimm-1g-labels.hang',
  'nvdimm-1g-labelless.kmem-labelless',
  'nvdimm-1g-labelless.hang',
];
const out = join(dir, 'out');
const read = (path: string) => readFileSync(path, 'utf8');
const cellJson = (id: string) => JSON.parse(read(join(out, 'cells', `${id}.json`)));

describe('pmem-lab matrix', () => {
  it('runs every cell on a real guest, a failing one without stopping the others, into one grid', async () => {
    const r = await cli(['matrix', matrix, '--out', out, '--junit', join(dir, 'm.xml'), '--accel', 'tcg', '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.cells.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [ids[0], 'agree'],
      [ids[1], 'error'],
      [ids[2], 'agree'],
      [ids[3], 'error'],
    ]);
    expect(summary.report).toBe(join(out, 'index.html'));
    // the rows' first cells booted cold and saved; the others restored
    expect(r.stderr.match(/from its checkpoint/g)).toHaveLength(2);
    expect(readdirSync(join(out, 'cells')).sort()).toEqual(ids.flatMap((id) => [`${id}.html`, `${id}.json`]).sort());

    // each cell: the run --json result, the cell's place, and the profile of its row in place of the scenario's own
    const agree = cellJson(ids[2]!);
    expect(agree).toMatchObject({
      cell: { id: ids[2], row: 'nvdimm-1g-labelless', column: 'kmem-labelless', status: 'agree' },
      matrix: { name: 'two-by-two', columns: ['kmem-labelless', 'hang'] },
      scenario: 'kmem-labelless',
      accel: 'tcg',
      timings: { ready_ms: expect.any(Number) },
    });
    expect(agree.steps).toHaveLength(3);
    expect(agree.fidelity.matched).toBe(agree.fidelity.total);
    const onLabels = cellJson(ids[0]!);
    expect(onLabels.cell.profile).toBe('nvdimm-1g-labels');
    // the labelled NVDIMM's guest has a label area: its nd bus differs from the label-less one's
    expect(onLabels.steps[0].real.nd).not.toEqual(agree.steps[0].real.nd);
    const failed = cellJson(ids[1]!);
    expect(failed.cell.status).toBe('error');
    expect(failed.error).toMatch(/^step 2 \(sleep 100\) failed: .*did not finish within 2 s/);
    expect(failed.steps).toHaveLength(2);

    const grid = read(join(out, 'index.html'));
    expect(grid).toContain('<p>4 cells: 2 agree, 0 differ, 2 error · kernel ');
    expect(grid).toContain(`<td class="agree"><a href="cells/${ids[0]}.html"`);
    expect(grid).toContain(`<td class="error"><a href="cells/${ids[3]}.html"`);
    expect(read(join(out, 'cells', `${ids[3]}.html`))).toContain('<h2>the guest failed</h2>');

    const junit = read(join(dir, 'm.xml'));
    expect(await validateJUnit(junit)).toMatchObject({ ok: true });
    expect(await xpath(junit, 'concat(/testsuites/@tests, "/", /testsuites/@errors, "/", /testsuites/@skipped)')).toBe(
      '14/2/2',
    );
    expect(await xpath(junit, `string(//testsuite[@name="${ids[1]}"]/testcase[3]/error/@message)`)).toMatch(
      /^the guest failed at step 2: step 2 \(sleep 100\) failed/,
    );
    expect(await xpath(junit, `string(//testsuite[@name="${ids[0]}"]/testcase[2]/@name)`)).toBe(
      '[1] ndctl create-namespace -f -e namespace0.0 -m devdax',
    );
  });

  it("report merge of the cells gives the matrix's own grid byte for byte, whatever their order", async () => {
    const cells = ids.map((id) => join(out, 'cells', `${id}.json`));
    const r = await cli(['report', 'merge', ...[...cells].reverse(), '--out', join(dir, 'merged')]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toContain('two-by-two: 2 agree, 0 differ, 2 error');
    expect(read(join(dir, 'merged/index.html'))).toBe(read(join(out, 'index.html')));
    for (const id of ids)
      expect(read(join(dir, 'merged/cells', `${id}.html`))).toBe(read(join(out, 'cells', `${id}.html`)));
  });

  it('runs one cell as a CI job does, and run --junit writes valid JUnit', async () => {
    const job = join(dir, 'job');
    const r = await cli(['matrix', matrix, '--cell', ids[2]!, '--out', job, '--junit', join(job, 'cell.xml')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readdirSync(join(job, 'cells')).sort()).toEqual([`${ids[2]}.html`, `${ids[2]}.json`]);
    expect(existsSync(join(job, 'index.html'))).toBe(false);
    expect(await validateJUnit(read(join(job, 'cell.xml')))).toMatchObject({ ok: true });

    const run = await cli(['run', 'kmem-labelless', '--json', '--junit', join(dir, 'run.xml'), '--accel', 'tcg']);
    expect(run.exitCode, run.stderr).toBe(0);
    const junit = read(join(dir, 'run.xml'));
    expect(await validateJUnit(junit)).toMatchObject({ ok: true });
    const steps = JSON.parse(run.stdout).steps as { fidelity: { matched: number; total: number } }[];
    expect(await xpath(junit, 'count(//testcase)')).toBe(String(steps.length));
    expect(await xpath(junit, 'string(//testcase[2]/properties/property[@name="fidelity"]/@value)')).toBe(
      `${steps[1]!.fidelity.matched}/${steps[1]!.fidelity.total}`,
    );
    expect(await xpath(junit, 'concat(count(//failure), "/", count(//error))')).toBe('0/0');
  });

  it('stops every guest on Ctrl-C: their runtime folders go with them', async () => {
    const slow = file(
      'slow.yaml',
      'name: slow\nprofile: nvdimm-1g-labels\nsteps:\n  - run: sleep 100\n    timeout: 120\n',
    );
    const m = file(
      'ctrl-c.yaml',
      `name: ctrl-c\nprofiles: [nvdimm-1g-labels, nvdimm-1g-labelless]\nscenarios: [${slow}]\n`,
    );
    const child = execa('node', [join(ROOT, 'bin/pmem-lab.js'), 'matrix', m, '--out', join(dir, 'ctrl-c')], {
      reject: false,
      cwd: dir,
      env,
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    for (let i = 0; i < 600 && (err.match(/guest up/g) ?? []).length < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(err.match(/guest up/g)).toHaveLength(2);
    const folders = runtimeFolders(child.pid!);
    expect(folders).toHaveLength(2);
    for (const f of folders) expect(existsSync(f)).toBe(true);
    const t0 = performance.now();
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    // not waiting for the steps under way (sleep 100) to end
    expect(performance.now() - t0).toBeLessThan(20_000);
    for (const f of folders) expect(existsSync(f), f).toBe(false);
  });
});

/** The runtime folder of each QEMU the process started (its children: setpriv execs QEMU in place). */
function runtimeFolders(pid: number): string[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.flatMap((c) => {
    const m = /path=([^,\0]+)\/qmp\.sock/.exec(readFileSync(`/proc/${c}/cmdline`, 'utf8'));
    return m ? [m[1]!] : [];
  });
}
