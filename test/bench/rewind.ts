// rewind_ms: a session's rewind to step k (the app's door: session.rewind restores the entry's checkpoint in a
// new QEMU and replays the model to it), back to entry 2 each time: on nvdimm-1g-labels after three steps, and
// on dimm-hotplug after a 1 GiB DIMM was hot-added and half onlined (its RAM a file the checkpoint copies,
// guest/hot-ram.ts). Reported against the cold ready_ms of the same profile measured in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionInfo, TimelineEntry } from '../../src-shared/api/contract';
import type { Step } from '../../src-shared/scenario/schema';
import { LabBackend } from '../../src-main/backend/lab-backend';
import { median } from './stats';

/** Each case's steps: the rewind goes back to entry 2, then the last step brings the guest to entry 3 again. */
export const REWIND_CASES: Record<string, Step[]> = {
  'nvdimm-1g-labels': [
    { run: 'ndctl create-namespace -f -e namespace0.0 -m devdax' },
    { run: 'daxctl reconfigure-device --mode=system-ram dax0.0' },
    { run: 'echo online_movable > /sys/devices/system/memory/memory33/state' },
  ],
  'dimm-hotplug': [
    { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'm-d1', size: 2 ** 30 } } },
    { qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'd1', memdev: 'm-d1' } } },
    { run: 'for b in 32 33 34 35; do echo online_movable > /sys/devices/system/memory/memory$b/state; done' },
  ],
};

export async function benchRewind(runs: number, profile: string): Promise<{ rewind_ms: number; steps: number }> {
  const STEPS = REWIND_CASES[profile]!;
  const store = await mkdtemp(join(tmpdir(), 'pmem-lab-bench-rewind-'));
  const before = process.env.PMEM_LAB_CHECKPOINTS;
  process.env.PMEM_LAB_CHECKPOINTS = store;
  const lab = new LabBackend({ mode: 'browser' });
  const call = async <T>(method: string, params: unknown): Promise<T> => {
    const r = await lab.call(method, params);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  try {
    const { id: session } = await call<SessionInfo>('vm.boot', { profile });
    while ((await call<TimelineEntry[]>('session.timeline', { session })).length === 0)
      await new Promise((r) => setTimeout(r, 100));
    for (const step of STEPS) await call('session.act', { session, step });
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await call('session.rewind', { session, n: 2 });
      times.push(performance.now() - t0);
      // back to three steps, so that each rewind leaves the same guest
      await call('session.act', { session, step: STEPS[2] });
    }
    return { rewind_ms: Math.round(median(times)), steps: STEPS.length };
  } finally {
    await lab.stopAll();
    if (before === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
    else process.env.PMEM_LAB_CHECKPOINTS = before;
    await rm(store, { recursive: true, force: true });
  }
}
