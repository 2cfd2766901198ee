// Cold start: spawn -> guest agent ready, and -> first snapshot, for the
// kit's path (PVH vmlinux + uncompressed initramfs) and the naive path
// (bzImage + gzip initramfs), interleaved in one run under TCG. One TCG boot
// differs from the next by up to 1 s here, hence the warm-up, the alternating
// order and the run count.
import { writeFile, mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadProfile } from '../../src-main/store/profiles';
import { prepare } from '../../src-main/guest/lab';
import { hostKernel } from '../../src-main/kit/sources';
import { Vm } from '../../src-main/guest/vm';
import type { Kit } from '../../src-main/kit/build';
import { median } from './stats';

export interface BootFigures {
  ready_ms: number;
  first_snapshot_ms: number;
  naive_ready_ms: number;
  naive_first_snapshot_ms: number;
  ready_ratio_vs_naive: number;
  runs: number;
}

/** `profileName`: the shipped profile to boot both ways (the lab's reference one by default). */
export async function benchBoot(runs: number, profileName = 'nvdimm-1g-labels'): Promise<BootFigures> {
  const profile = await loadProfile(profileName);
  const { kit } = await prepare(profile, { accel: 'tcg' });
  const dir = await mkdtemp(join(tmpdir(), 'pmem-lab-bench-'));
  try {
    const naiveInitrd = join(dir, 'initramfs.cpio.gz');
    await writeFile(naiveInitrd, gzipSync(await readFile(kit.initrd)));
    const naive: Kit = { ...kit, kernel: (await hostKernel()).image, initrd: naiveInitrd, pvh: false };
    const fast = { ready: [] as number[], snap: [] as number[] };
    const slow = { ready: [] as number[], snap: [] as number[] };
    const once = async (k: Kit, out?: { ready: number[]; snap: number[] }) => {
      const t0 = performance.now();
      // both paths cold: the kit's boot against the naive one (checkpoints have their own figures)
      const vm = await Vm.boot({ profile, kit: k, accel: 'tcg', checkpoint: 'cold' });
      await vm.snapshot();
      out?.ready.push(vm.readyMs!);
      out?.snap.push(performance.now() - t0);
      await vm.stop();
    };
    // one unmeasured boot of each (page cache), then alternating order so drift falls on both sides
    await once(kit);
    await once(naive);
    for (let i = 0; i < runs; i++) {
      const pair = [
        [kit, fast],
        [naive, slow],
      ] as const;
      for (const [k, out] of i % 2 === 0 ? pair : [...pair].reverse()) await once(k, out);
    }
    const r = (x: number) => Math.round(x);
    return {
      ready_ms: r(median(fast.ready)),
      first_snapshot_ms: r(median(fast.snap)),
      naive_ready_ms: r(median(slow.ready)),
      naive_first_snapshot_ms: r(median(slow.snap)),
      ready_ratio_vs_naive: Number((median(fast.ready) / median(slow.ready)).toFixed(3)),
      runs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
