// Snapshot latency on the 2 GiB guest: one framed probe round trip against
// reading the same files one command at a time over the console (ttyS0),
// the way a person or an expect script would. Same guest, one run.
import { loadProfile } from '../../src-main/store/profiles';
import { bootProfile, prepare } from '../../src-main/guest/lab';
import type { Vm } from '../../src-main/guest/vm';
import type { Snapshot } from '../../src-shared/snapshot/types';
import { median, timeIt } from './stats';

export interface SnapshotFigures {
  snapshot_ms: number;
  per_file_ms: number;
  snapshot_ratio_vs_per_file: number;
  files: number;
  runs: number;
}

/** The files one snapshot reads. */
function snapshotFiles(s: Snapshot): string[] {
  const m = '/sys/devices/system/memory';
  const files = ['/proc/sys/kernel/osrelease', '/proc/iomem', `${m}/block_size_bytes`, `${m}/auto_online_blocks`];
  for (const b of s.memoryBlocks)
    files.push(...['state', 'removable', 'valid_zones'].map((a) => `${m}/memory${b.id}/${a}`));
  for (const n of s.numa.nodes) files.push(`/sys/devices/system/node/node${n.id}/meminfo`);
  for (const r of s.nd.regions)
    files.push(
      ...['devtype', 'size', 'align', 'available_size', 'numa_node', 'target_node'].map(
        (a) => `/sys/bus/nd/devices/${r.name}/${a}`,
      ),
    );
  for (const n of s.nd.namespaces)
    files.push(
      ...['devtype', 'size', 'mode', 'uuid', 'holder', 'numa_node'].map((a) => `/sys/bus/nd/devices/${n.name}/${a}`),
    );
  return files;
}

let marker = 0;
function catOverConsole(vm: Vm, file: string): Promise<void> {
  const n = ++marker;
  return new Promise((resolve) => {
    let seen = '';
    // The shell echoes what we type; only the evaluated marker (@@M<n+1>@@) means the command finished.
    const want = `@@M${n + 1}@@`;
    const onData = (d: Buffer) => {
      seen += d.toString('latin1');
      if (seen.includes(want)) {
        vm.off('console', onData);
        resolve();
      }
    };
    vm.on('console', onData);
    vm.writeConsole(`cat ${file}; echo @@M$((${n}+1))@@\n`);
  });
}

export async function benchSnapshot(runs: number): Promise<SnapshotFigures> {
  const profile = await loadProfile('nvdimm-1g-labels');
  const vm = await bootProfile(profile, await prepare(profile, { accel: 'tcg' }));
  try {
    const files = snapshotFiles(await vm.snapshot());
    const fast: number[] = [];
    const slow: number[] = [];
    for (let i = 0; i < runs; i++) {
      fast.push(await timeIt(() => vm.snapshot()));
      slow.push(
        await timeIt(async () => {
          for (const f of files) await catOverConsole(vm, f);
        }),
      );
    }
    return {
      snapshot_ms: Number(median(fast).toFixed(1)),
      per_file_ms: Math.round(median(slow)),
      snapshot_ratio_vs_per_file: Number((median(slow) / median(fast)).toFixed(1)),
      files: files.length,
      runs,
    };
  } finally {
    await vm.stop();
  }
}
