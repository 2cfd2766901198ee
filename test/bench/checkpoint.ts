// Boot checkpoints (issue 14): warm_ready_ms (a boot restored from the profile's checkpoint) against the cold
// ready_ms of the same profile, interleaved in one run under TCG, and the checkpoint's size on disk (the
// stream, plus sparse copies of the NVDIMM files). A fresh store of its own, so the first boot saves.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '../../src-main/store/profiles';
import { prepare } from '../../src-main/guest/lab';
import { Vm } from '../../src-main/guest/vm';
import { listCheckpoints } from '../../src-main/checkpoint/store';
import { median } from './stats';

export interface CheckpointFigures {
  profile: string;
  cold_ready_ms: number;
  warm_ready_ms: number;
  warm_ratio_vs_cold: number;
  save_ms: number;
  state_mb: number;
  disk_mb: number;
}

export async function benchCheckpoint(runs: number, profileName: string): Promise<CheckpointFigures> {
  const profile = await loadProfile(profileName);
  const { kit } = await prepare(profile, { accel: 'tcg' });
  const store = await mkdtemp(join(tmpdir(), 'pmem-lab-bench-checkpoints-'));
  const before = process.env.PMEM_LAB_CHECKPOINTS;
  process.env.PMEM_LAB_CHECKPOINTS = store;
  const cold: number[] = [];
  const warm: number[] = [];
  const once = async (checkpoint: 'use' | 'cold', out?: number[]) => {
    const vm = await Vm.boot({ profile, kit, accel: 'tcg', checkpoint });
    if (checkpoint === 'use' && out && vm.checkpoint?.from !== 'checkpoint')
      throw new Error(`${profileName} did not restore: ${vm.checkpoint?.why}`);
    out?.push(vm.readyMs!);
    await vm.stop();
  };
  try {
    // the first boot saves the checkpoint (and warms the page cache); then pairs in alternating order
    await once('use');
    for (let i = 0; i < runs; i++)
      for (const [mode, out] of i % 2 === 0
        ? ([
            ['cold', cold],
            ['use', warm],
          ] as const)
        : ([
            ['use', warm],
            ['cold', cold],
          ] as const))
        await once(mode, out);
    const [entry] = await listCheckpoints();
    const r = (x: number) => Math.round(x);
    const mb = (b: number) => Number((b / 2 ** 20).toFixed(1));
    return {
      profile: profileName,
      cold_ready_ms: r(median(cold)),
      warm_ready_ms: r(median(warm)),
      warm_ratio_vs_cold: Number((median(warm) / median(cold)).toFixed(3)),
      save_ms: entry!.meta.saveMs,
      state_mb: mb(entry!.meta.state.bytes),
      disk_mb: mb(entry!.diskBytes),
    };
  } finally {
    if (before === undefined) delete process.env.PMEM_LAB_CHECKPOINTS;
    else process.env.PMEM_LAB_CHECKPOINTS = before;
    await rm(store, { recursive: true, force: true });
  }
}
