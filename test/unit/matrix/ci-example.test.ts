// examples/ci/workflow.yml, as far as it runs here: its expansion step is a
// pmem-lab command, run as GitHub runs it; every job's pmem-lab command line
// is one the parser takes, naming cells the matrix has; the artifacts one job
// uploads are the files the next one merges.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCommandLine } from '../../../src-main/cli/parse';
import { loadMatrix } from '../../../src-main/matrix/load';

const ROOT = join(import.meta.dirname, '../../..');
interface Step {
  id?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  strategy?: { matrix: { include: string } };
  steps: Step[];
}
const workflow = parse(readFileSync(join(ROOT, 'examples/ci/workflow.yml'), 'utf8')) as {
  env: { MATRIX: string };
  jobs: Record<'expand' | 'cell' | 'report', Job>;
};
const { expand, cell, report } = workflow.jobs;
const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A step's pmem-lab command line, as the parser sees it (the shell's quoting and the one env variable undone). */
const argv = (run: string, vars: Record<string, string>): string[] => {
  const line = run.split('\n').find((l) => l.includes('pmem-lab '))!;
  const words = line.slice(line.indexOf('pmem-lab ') + 'pmem-lab '.length).replace(/\)$/, '');
  return words
    .replace(/\$\{\{ matrix\.id \}\}/g, vars.id ?? '')
    .replace(/"\$MATRIX"/g, workflow.env.MATRIX)
    .split(/\s+/)
    .map((w) => w.replace(/^"(.*)"$/, '$1'));
};

describe('the CI example', () => {
  it("expands the matrix file into the cell job's matrix with a pmem-lab command, run as GitHub runs it", async () => {
    const step = expand.steps.find((s) => s.id === 'cells')!;
    const out = join(dir, 'github-output');
    // GitHub runs a step's script with bash -e -o pipefail, GITHUB_OUTPUT naming the file its outputs go to
    await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: ROOT,
      env: { MATRIX: workflow.env.MATRIX, GITHUB_OUTPUT: out },
    });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const include = JSON.parse(lines[0]!.replace(/^cells=/, '')) as { id: string; scenario: string }[];
    const m = await loadMatrix(join(ROOT, workflow.env.MATRIX));
    expect(include.map((c) => c.id)).toEqual(m.cells.map((c) => c.id));
    expect(include).toHaveLength(4);
    expect(include[0]).toEqual({
      id: 'nvdimm-1g-labels.kmem-labelless',
      row: 'nvdimm-1g-labels',
      column: 'kmem-labelless',
      scenario: 'kmem-labelless',
      profile: 'nvdimm-1g-labels',
    });
    expect(cell.needs).toBe('expand');
    expect(cell.strategy?.matrix.include).toBe('${{ fromJSON(needs.expand.outputs.cells) }}');
  });

  it('runs one cell per job, and merges what the jobs uploaded', async () => {
    const m = await loadMatrix(join(ROOT, workflow.env.MATRIX));
    const run = cell.steps.find((s) => s.run?.includes('pmem-lab '))!.run!;
    for (const c of m.cells) {
      const what = parseCommandLine(argv(run, { id: c.id }));
      expect(what).toMatchObject({ kind: 'run', command: { name: 'matrix' } });
      if (what.kind !== 'run') continue;
      expect(what.args.positional).toBe(workflow.env.MATRIX);
      expect(what.args.options.get('cell')).toBe(c.id);
      expect(what.args.options.get('junit')).toBe(`results/${c.id}.xml`);
      expect(what.args.options.get('out')).toBe('results');
    }
    const upload = cell.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with).toMatchObject({ name: 'cell-${{ matrix.id }}', path: 'results/' });
    const download = report.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with).toEqual({ pattern: 'cell-*', path: 'results' });
    // download-artifact puts each artifact in a folder of its name: results/cell-ID/cells/ID.json
    const merge = parseCommandLine(argv(report.steps.find((s) => s.run?.includes('pmem-lab '))!.run!, {}));
    expect(merge).toMatchObject({ kind: 'run', command: { name: 'report' } });
    if (merge.kind === 'run') {
      expect(merge.args.positional).toBe('merge');
      expect(merge.args.rest).toEqual(['results/*/cells/*.json']);
    }
    expect(report.needs).toEqual(['expand', 'cell']);
  });
});
