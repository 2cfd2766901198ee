// Human-readable views of snapshots for the terminal.
import type { Snapshot } from '../../src-shared/snapshot/types';
import type { CheckpointUse } from '../checkpoint/guest';
import { formatSize } from '../../src-shared/units';

export function formatSnapshot(s: Snapshot): string {
  const out: string[] = [];
  out.push(`kernel ${s.kernel}`, '', '/proc/iomem:', s.iomem.trimEnd(), '');
  out.push(`memory blocks (block size ${formatSize(s.blockSizeBytes)}, auto_online_blocks ${s.autoOnlineBlocks}):`);
  for (const run of blockRuns(s)) out.push(`  ${run}`);
  if (s.nd.regions.length) {
    out.push('', 'nd bus:');
    for (const r of s.nd.regions)
      out.push(
        `  ${r.name}: size ${formatSize(r.size)}, align ${formatSize(r.align)}, available ` +
          `${formatSize(r.available)}, target_node ${r.targetNode}`,
      );
    for (const n of s.nd.namespaces)
      out.push(`  ${n.name}: ${n.mode}, size ${formatSize(n.size)}${n.holder ? `, claimed by ${n.holder}` : ''}`);
  }
  if (s.dax.devices.length) {
    out.push('', 'dax bus:');
    for (const d of s.dax.devices)
      out.push(
        `  ${d.name}: ${d.mode} (${d.driver || 'no driver'}), size ${formatSize(d.size)}, target_node ${d.targetNode}`,
      );
  }
  if (s.numa.nodes.length) {
    out.push('', 'NUMA nodes:');
    for (const n of s.numa.nodes)
      out.push(`  node${n.id}: cpus ${n.cpus || '-'}, MemTotal ${n.memTotalKiB} kB, ${n.blocks.length} memory blocks`);
  }
  if (s.problems?.length) out.push('', 'could not read:', ...s.problems.map((p) => `  ${p}`));
  return out.join('\n');
}

/** Consecutive blocks with the same state, zones and node on one line. */
function blockRuns(s: Snapshot): string[] {
  const runs: string[] = [];
  let i = 0;
  const b = s.memoryBlocks;
  while (i < b.length) {
    let j = i;
    while (
      j + 1 < b.length &&
      b[j + 1]!.id === b[j]!.id + 1 &&
      b[j + 1]!.state === b[i]!.state &&
      b[j + 1]!.zones === b[i]!.zones &&
      b[j + 1]!.node === b[i]!.node
    )
      j++;
    const ids = i === j ? `memory${b[i]!.id}` : `memory${b[i]!.id}-${b[j]!.id}`;
    runs.push(`${ids.padEnd(16)} ${b[i]!.state.padEnd(8)} [${b[i]!.zones}] node${b[i]!.node}`);
    i = j + 1;
  }
  return runs;
}

/** Where a guest came from, in a few words: "from its checkpoint", "cold, checkpoint saved", "cold: why". */
export function bootLine(use: CheckpointUse | undefined): string {
  if (!use) return 'cold';
  if (use.from === 'checkpoint') return 'from its checkpoint';
  const saved = use.saved ? `checkpoint saved in ${use.saved.ms} ms` : undefined;
  return ['cold', ...(use.why ? [use.why] : []), ...(saved ? [saved] : [])].join(': ');
}
