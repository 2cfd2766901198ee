// The pmem-lab command as users and scripts call it.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = (args: string[]) => execa('node', ['bin/pmem-lab.js', ...args], { reject: false });

describe('pmem-lab', () => {
  it(
    'run --json prints the contract: boot state first, then ' +
      'each step with output, exit code and the real snapshot',
    async () => {
      const r = await cli(['run', 'kmem-labels', '--json', '--accel', 'tcg']);
      expect(r.exitCode, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({
        scenario: 'kmem-labels',
        kernel: expect.stringMatching(/^\d+\.\d+/),
        qemu: expect.any(String),
        accel: 'tcg',
      });
      expect(out.timings.ready_ms).toBeGreaterThan(0);
      expect(out.steps).toHaveLength(4);
      expect(out.steps[0].step).toBeNull();
      expect(out.steps[0].real.iomem).toContain(' : Persistent Memory\n');
      expect(out.steps[1]).toMatchObject({
        step: { run: 'ndctl create-namespace -f -e namespace0.0 -m devdax' },
        exitCode: 0,
      });
      expect(out.steps[1].output).toContain('"mode":"devdax"');
      expect(out.steps[2].real.iomem).toContain('    108000000-13fffffff : System RAM (kmem)\n');
      expect(out.steps[2].real.memoryBlocks[0]).toEqual({
        id: 0,
        state: 'online',
        zones: 'none',
        node: 0,
        removable: true,
      });
      expect(out.steps[3].real.iomem).not.toContain('kmem');
      // The model side: predicted from the profile alone, in agreement at every step.
      expect(out.steps[2].model.iomem).toContain('    108000000-13fffffff : System RAM (kmem)\n');
      expect(
        out.steps.every(
          (s: { fidelity: { matched: number; total: number } }) => s.fidelity.matched === s.fidelity.total,
        ),
      ).toBe(true);
      expect(out.fidelity.matched).toBe(out.fidelity.total);
    },
  );

  it("model prints the predicted /proc/iomem in the kernel's format, and the what-if rules change it", async () => {
    const r = await cli(['model', 'kmem-labels']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      '\n100000000-13fffffff : Persistent Memory\n  100000000-1011fffff : namespace0.0\n' +
        '  101200000-13fffffff : dax0.0\n',
    );
    const old = JSON.parse((await cli(['model', 'kmem-labels', '--json', '--kernel-rules', '5.3'])).stdout);
    expect(old.steps[2].model.iomem).toContain('    108000000-13fffffff : System RAM\n');
  });

  it('refuses a bad scenario with the field named, exit 2, and starts no QEMU', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-'));
    try {
      const f = join(dir, 'bad.yaml');
      writeFileSync(f, 'name: bad\nprofile: { name: x, memory: { size: 2G, slots: 4 } }\nsteps: []\n');
      const r = await cli(['run', f]);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/memory\.maxmem: set both memory\.slots and memory\.maxmem/);
      writeFileSync(f, 'name: bad\nprofile: dimm-hotplug\nsteps:\n  - run: ls\n    wait: 3\n');
      expect((await cli(['run', f])).stderr).toMatch(/steps\[0\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('doctor: a status per check, an honest verdict, exit 0 with warnings only, and --json', async () => {
    const r = await cli(['doctor', '--json']);
    const out = JSON.parse(r.stdout) as {
      checks: { name: string; status: string; detail: string; fix?: string }[];
      verdict: string;
      exitCode: number;
    };
    expect(r.exitCode).toBe(out.exitCode);
    for (const c of out.checks) expect(['ok', 'warn', 'miss']).toContain(c.status);
    const statuses = out.checks.map((c) => c.status);
    expect(out.verdict).toBe(
      statuses.includes('miss') ? 'not-ready' : statuses.includes('warn') ? 'ready-with-warnings' : 'ready',
    );
    expect(out.exitCode).toBe(statuses.includes('miss') ? 1 : 0);
    const accel = out.checks.find((c) => c.name === 'accelerator')!;
    expect(accel.status).toBe(accel.detail.startsWith('kvm') ? 'ok' : 'warn');
    const text = await cli(['doctor']);
    expect(text.stdout).not.toContain('all set');
    if (out.verdict === 'ready-with-warnings') expect(text.stdout).toMatch(/\nready, with \d+ warnings?: /);
  });

  it('doctor ends quietly when its reader has gone (pmem-lab doctor | head -1)', async () => {
    const r = await execa('bash', ['-c', 'node bin/pmem-lab.js doctor | head -1; echo "status ${PIPESTATUS[0]}" >&2'], {
      reject: false,
    });
    expect(r.stdout).toMatch(/^(ok|warn|MISS) +QEMU: /);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.ts:\d+/);
  });

  it('names unknown profiles and lists the known ones', async () => {
    const r = await cli(['boot', 'no-such-profile']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /profile "no-such-profile" not found.*known profiles: big-256g, big-64g, dimm-hotplug, hmm-lab-kernel, legacy/,
    );
  });

  it('a step that hangs fails with a timeout naming the step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hang-'));
    try {
      const f = join(dir, 'hang.yaml');
      writeFileSync(
        f,
        'name: hang\nprofile: dimm-hotplug\nsteps:\n  - run: echo fine\n  - run: sleep 100\n    timeout: 3\n',
      );
      const r = await cli(['run', f, '--accel', 'tcg']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/step 2 \(sleep 100\) failed: .*did not finish within 2 s/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
