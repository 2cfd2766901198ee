// The pmem-lab process as a shell sees it: exit codes, stdout vs stderr, a
// closed pipe. None of these boot a guest.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/pmem-lab.js');
const cli = (args: string[]) => execa('node', [BIN, ...args], { reject: false, cwd: ROOT });
/** stdout into a pipe whose reader has already gone (`| true`): every write fails with EPIPE. */
const intoClosedPipe = (args: string) =>
  execa('bash', ['-c', `node ${BIN} ${args} | true; echo "status \${PIPESTATUS[0]}" >&2`], {
    reject: false,
    cwd: ROOT,
  });
const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pmem-lab process', { timeout: 30_000 }, () => {
  it('with no command prints the usage on stderr and exits 2; --help prints it on stdout and exits 0', async () => {
    const none = await cli([]);
    expect(none.exitCode).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^usage: pmem-lab COMMAND/);
    const help = await cli(['help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^usage: pmem-lab COMMAND/);
  });

  it('prints the version from package.json for --version and -V', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(version);
    }
  });

  it("answers run -h with run's usage instead of looking for a scenario named -h", async () => {
    const r = await cli(['run', '-h']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^usage: pmem-lab run SCENARIO \[options\]/);
    expect(r.stdout).toContain('examples:\n  pmem-lab run kmem-labels');
  });

  it('exits 2 on a stray argument or an unknown flag, with a one-line hint to the help', async () => {
    const r = await cli(['model', 'kmem-labels', 'extra', '--port', '5']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'pmem-lab: unknown option --port; model takes --json, --explain, --kernel-rules\nsee "pmem-lab model --help"',
    );
    const stray = await cli(['model', 'kmem-labels', 'extra']);
    expect(stray.exitCode).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "extra"; model takes one SCENARIO');
  });

  it('ends quietly when the reader of its output has gone (| head), with no stack trace', async () => {
    for (const args of ['model kmem-labels --explain', 'help run']) {
      const r = await intoClosedPipe(args);
      expect(r.stderr, args).toBe('status 141');
    }
  });

  it('lists the known scenarios when one is not found', async () => {
    const r = await cli(['model', 'no-such-scenario']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /scenario "no-such-scenario" not found; known scenarios: big-256g, big-64g, cxl-boot, .*dimm-hotplug, .*kmem-l/,
    );
  });

  it('names the step, the wrong key and the keys allowed, with the line, for a typo in a step', async () => {
    const f = join(dir, 'typo.yaml');
    writeFileSync(f, 'name: typo\nprofile: dimm-hotplug\nsteps:\n  - run: ls\n  - runn: ls\n');
    const r = await cli(['model', f]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'steps[1] (line 5, column 5): unknown key "runn"; allowed keys: run, qmp, model, timeout',
    );
  });

  it('model exits 0 when the model followed every step, 1 when a step is out of sync', async () => {
    const f = join(dir, 'out-of-sync.yaml');
    writeFileSync(f, 'name: oos\nprofile: nvdimm-1g-labels\nsteps:\n  - run: ndctl frobnicate-namespace\n');
    const r = await cli(['model', f]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain('out of sync at "ndctl frobnicate-namespace"');
  });
});
