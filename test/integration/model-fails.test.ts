// A step the model cannot follow must not cost the user the real run: every
// step runs on the guest and is reported, the model says why it stopped.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('pmem-lab run when the model cannot follow', () => {
  it('completes and reports the real side, marks the model out of sync with the reason, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmem-lab-odd-'));
    try {
      const file = join(dir, 'odd.yaml');
      writeFileSync(
        file,
        'name: odd-step\nprofile: legacy-memmap\n' +
          'steps:\n  - run: echo 1 > /proc/sys/vm/compact_memory\n  - run: cat /sys/bus/nd/devices/region0/size\n',
      );
      const r = await execa('node', ['bin/pmem-lab.js', 'run', file, '--json', '--accel', 'tcg'], { reject: false });
      expect(r.exitCode, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out.steps).toHaveLength(3);
      expect(out.steps[0].outOfSync).toBeUndefined();
      expect(out.steps[0].real.iomem).toMatch(/40000000-5fffffff : Persistent Memory \(legacy\)/);
      expect(out.steps[1]).toMatchObject({ exitCode: 0 });
      expect(out.steps[2]).toMatchObject({ exitCode: 0, output: '536870912\n' });
      for (const s of out.steps.slice(1)) expect(s.outOfSync).toMatch(/writing \/proc\/sys\/vm\/compact_memory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
