// A checkpoint's screen and its state meet without a gap (issue 14, "the console shows the restored screen"): a
// guest printing a count on its console without pause is saved, and the restored guest's screen, the saved one
// followed by what the restored guest prints, holds every number once and in order. A screen read before the
// guest paused lost what it printed in between: at boot that was sometimes the first prompt.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCheckpoint, saveCheckpoint } from '../../src-main/checkpoint/guest';
import { CHECKPOINT_FORMAT } from '../../src-main/checkpoint/key';
import { consolePath } from '../../src-main/checkpoint/store';
import { prepare } from '../../src-main/guest/lab';
import { Vm } from '../../src-main/guest/vm';
import { loadProfile } from '../../src-main/store/profiles';

let root: string;
const store = process.env.PMEM_LAB_CHECKPOINTS;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmem-lab-checkpoint-console-'));
  process.env.PMEM_LAB_CHECKPOINTS = join(root, 'boot'); // the boot's own checkpoint goes there
});
afterAll(async () => {
  if (store === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
  else process.env.PMEM_LAB_CHECKPOINTS = store;
  await rm(root, { recursive: true, force: true });
});

const ticks = (screen: Buffer) => [...screen.toString('latin1').matchAll(/tick (\d+)\r\n/g)].map((m) => Number(m[1]));

/** Resolves once the console has printed tick `n` or later. */
function untilTick(vm: Vm, n: number, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`tick ${n} not on the console within ${ms} ms`)), ms);
    const check = () => {
      if ((ticks(vm.consoleHistory()).at(-1) ?? 0) < n) return;
      clearTimeout(t);
      vm.off('console', check);
      resolve();
    };
    vm.on('console', check);
    check();
  });
}

describe('a checkpoint of a guest that is printing', () => {
  it('restores a screen that continues where the saved one stopped: no line lost, none twice', async () => {
    const profile = await loadProfile('nvdimm-1g-labelless');
    const { kit } = await prepare(profile, { accel: 'tcg' });
    const cold = await Vm.boot({ profile, kit, accel: 'tcg' });
    try {
      // the RAM is copied beside the stream, as every checkpoint's is, from files QEMU alone still holds
      expect(Object.values(cold.ram!.held!)).toEqual([expect.stringMatching(/^\/proc\/\d+\/fd\/\d+$/)]);
      expect(existsSync(cold.ram!.dir)).toBe(false);
      await cold.run('(i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); echo "tick $i"; done) </dev/null >/dev/ttyS0 &');
      await untilTick(cold, 200, 30_000);
      await saveCheckpoint({
        qmp: cold.qmp!,
        runDir: cold.runDir,
        ram: cold.ram!.held!,
        key: { key: 'printing', parts: { format: CHECKPOINT_FORMAT } },
        profile: profile.name,
        console: () => cold.consoleHistory(),
        timeoutMs: 60_000,
        root,
        evict: false,
      });
    } finally {
      await cold.stop();
    }
    const found = await findCheckpoint('printing', root);
    if (typeof found === 'string') throw new Error(found);
    const saved = ticks(await readFile(consolePath(found.dir)));
    expect(saved.length).toBeGreaterThan(200);

    const warm = await Vm.boot({ profile, kit, accel: 'tcg', restoreFrom: { found, extraArgv: () => [] } });
    try {
      await untilTick(warm, saved.at(-1)! + 200, 30_000);
      const seen = ticks(warm.consoleHistory());
      // each number once, in order, across the seam between the saved screen and the restored guest's output
      const breaks = seen.flatMap((n, i) => (i > 0 && n !== seen[i - 1]! + 1 ? [`${seen[i - 1]} then ${n}`] : []));
      expect(breaks).toEqual([]);
      // the saved numbers first, then the restored guest's: the wait above ends at the first screen holding
      // tick saved+200, so exactly 200 more is the least there can be
      expect(seen.slice(0, saved.length)).toEqual(saved);
      expect(seen.length).toBeGreaterThanOrEqual(saved.length + 200);
    } finally {
      await warm.stop();
    }
  });
});
