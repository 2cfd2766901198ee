// npm run bench: every benchmark, printed as a table with its goal, written to
// bench/results.json and into the README's performance section.
import { cpus, totalmem } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchBoot } from './boot';
import { benchSnapshot } from './snapshot';
import { benchModel } from './model';
import { benchModernModel } from './model-modern';
import { benchUi } from './ui';
import { benchUiBoot } from './ui-boot';
import { benchRss } from './rss';
import { benchFuzz } from './fuzz';
import { benchCheckpoint } from './checkpoint';
import { benchRewind } from './rewind';
import { writeFileAtomic } from '../../src-main/util/atomic';
import { qemuBinary } from '../../src-main/qemu/launcher';
import { qemuVersion } from '../../src-main/qemu/version';

interface Row {
  name: string;
  value: number;
  unit: string;
  goal: string;
  met: boolean;
}

const ROOT = join(import.meta.dirname, '../..');
const runs = Number(process.env.BENCH_RUNS ?? 5);

const rows: Row[] = [];
const bootRuns = Math.max(runs * 2, 10);
const boot = await benchBoot(bootRuns);
rows.push(
  { name: 'ready_ms', value: boot.ready_ms, unit: 'ms', goal: '<= 3000', met: boot.ready_ms <= 3000 },
  { name: 'first_snapshot_ms', value: boot.first_snapshot_ms, unit: 'ms', goal: '(reported)', met: true },
  {
    name: 'naive_ready_ms',
    value: boot.naive_ready_ms,
    unit: 'ms',
    goal: '(reference: bzImage + gzip initramfs)',
    met: true,
  },
  {
    name: 'ready_ratio_vs_naive',
    value: boot.ready_ratio_vs_naive,
    unit: 'x',
    goal: '<= 0.45',
    met: boot.ready_ratio_vs_naive <= 0.45,
  },
);
// q35 with CXL loads the CXL drivers and enumerates the expander bus: the same two paths, side by side
const cxl = await benchBoot(bootRuns, 'q35-cxl-pmem');
rows.push(
  { name: 'cxl_ready_ms', value: cxl.ready_ms, unit: 'ms', goal: '(reported; q35-cxl-pmem)', met: true },
  { name: 'cxl_naive_ready_ms', value: cxl.naive_ready_ms, unit: 'ms', goal: '(reference, same run)', met: true },
  {
    name: 'cxl_ready_ratio_vs_naive',
    value: cxl.ready_ratio_vs_naive,
    unit: 'x',
    goal: '<= 0.45',
    met: cxl.ready_ratio_vs_naive <= 0.45,
  },
);
// boot checkpoints: restored against cold, side by side, on the reference profile and on others' topologies
const coldReady: Record<string, number> = {};
for (const name of ['nvdimm-1g-labels', 'dimm-hotplug', 'numa-pmem-node', 'q35-nvdimm', 'virtio-mem']) {
  const c = await benchCheckpoint(Math.max(runs, 5), name);
  const reference = name === 'nvdimm-1g-labels';
  coldReady[name] = c.cold_ready_ms;
  rows.push({
    name: reference ? 'warm_ready_ms' : `warm_ready_ms_${name}`,
    value: c.warm_ready_ms,
    unit: 'ms',
    goal:
      `(cold ${c.cold_ready_ms} ms, same run: ratio ${c.warm_ratio_vs_cold}, goal <= 0.2; checkpoint ` +
      `${c.disk_mb} MiB on disk, stream ${c.state_mb} MiB, saved in ${c.save_ms} ms)`,
    met: c.warm_ratio_vs_cold <= 0.2,
  });
}
// the second case rewinds past a 1 GiB hot-added DIMM, whose RAM the checkpoint copies (guest/hot-ram.ts)
for (const [name, what] of [
  ['nvdimm-1g-labels', ''],
  ['dimm-hotplug', ', a 1 GiB DIMM hot-added and half onlined'],
] as const) {
  const rw = await benchRewind(Math.max(runs, 5), name);
  const cold = coldReady[name]!;
  rows.push({
    name: name === 'nvdimm-1g-labels' ? 'rewind_ms' : `rewind_ms_${name}`,
    value: rw.rewind_ms,
    unit: 'ms',
    goal:
      `<= 0.25 of a cold boot (${cold} ms, same run: ${(rw.rewind_ms / cold).toFixed(3)}; ` +
      `${name}, to step 2 of ${rw.steps}${what})`,
    met: rw.rewind_ms <= 0.25 * cold,
  });
}
const snap = await benchSnapshot(Math.max(runs, 10));
rows.push(
  { name: 'snapshot_ms', value: snap.snapshot_ms, unit: 'ms', goal: '<= 60', met: snap.snapshot_ms <= 60 },
  {
    name: 'per_file_ms',
    value: snap.per_file_ms,
    unit: 'ms',
    goal: `(reference: ${snap.files} files, one console command each)`,
    met: true,
  },
  {
    name: 'snapshot_ratio_vs_per_file',
    value: snap.snapshot_ratio_vs_per_file,
    unit: 'x faster',
    goal: '>= 10',
    met: snap.snapshot_ratio_vs_per_file >= 10,
  },
);

const model = await benchModel(Math.max(runs, 5));
rows.push(
  {
    name: 'model_build_16tib_ms',
    value: model.model_build_16tib_ms,
    unit: 'ms',
    goal: `<= 200 (${model.subsections} sub-sections)`,
    met: model.model_build_16tib_ms <= 200,
  },
  {
    name: 'model_kmem_4tib_ms',
    value: model.model_kmem_4tib_ms,
    unit: 'ms',
    goal: `<= 50 (${model.blocks} blocks)`,
    met: model.model_kmem_4tib_ms <= 50,
  },
  {
    name: 'iomem_diff_100k_ms',
    value: model.iomem_diff_100k_ms,
    unit: 'ms',
    goal: '<= 100 (print both trees + diff)',
    met: model.iomem_diff_100k_ms <= 100,
  },
);

const modern = await benchModernModel(Math.max(runs, 5));
rows.push({
  name: 'model_q35_cxl_virtio_1tib_ms',
  value: modern.model_q35_cxl_virtio_1tib_ms,
  unit: 'ms',
  goal: `<= 200 (q35, 4 CXL windows, 16 devices, ${modern.virtio_mem_blocks} virtio-mem blocks)`,
  met: modern.model_q35_cxl_virtio_1tib_ms <= 200,
});

const ui = await benchUi(Math.max(runs, 5));
rows.push(
  {
    name: 'ui_blocks_131072_first_render_ms',
    value: ui.ui_blocks_131072_first_render_ms,
    unit: 'ms',
    goal: '<= 100 (mount to end of first draw, headless Chromium)',
    met: ui.ui_blocks_131072_first_render_ms <= 100,
  },
  {
    name: 'ui_blocks_frame_ms',
    value: ui.ui_blocks_frame_ms,
    unit: 'ms',
    goal: '<= 16 (zoom/pan: event handling + draw)',
    met: ui.ui_blocks_frame_ms <= 16,
  },
  {
    name: 'ui_tree_10k_frame_ms',
    value: ui.ui_tree_10k_frame_ms,
    unit: 'ms',
    goal: '<= 16 (scroll: handling + DOM update + layout)',
    met: ui.ui_tree_10k_frame_ms <= 16,
  },
);
const uiBootRuns = Math.max(runs * 3, 15);
const uiBoot = await benchUiBoot(uiBootRuns);
rows.push(
  {
    name: 'ui_boot_to_shell_ms',
    value: uiBoot.ui_boot_to_shell_ms,
    unit: 'ms',
    goal: '(Boot click -> prompt in the console)',
    met: true,
  },
  {
    name: 'cli_ready_ms',
    value: uiBoot.cli_ready_ms,
    unit: 'ms',
    goal: '(kit check + QEMU -> guest agent, same run)',
    met: true,
  },
  {
    name: 'ui_boot_minus_cli_ms',
    value: uiBoot.ui_boot_minus_cli_ms,
    unit: 'ms',
    goal: '<= 300',
    met: uiBoot.ui_boot_minus_cli_ms <= 300,
  },
);

const rss = await benchRss(Math.max(runs, 5));
rows.push({
  name: 'app_rss_mb',
  value: rss.app_rss_mb,
  unit: 'MB',
  goal: `<= 1024 (backend ${rss.backend_rss_mb} MB + QEMU ${rss.qemu_rss_mb} MB running ${rss.guest})`,
  met: rss.app_rss_mb <= 1024,
});

const fuzzCount = Number(process.env.BENCH_FUZZ_COUNT ?? 8);
const { warm: fz, cold: fzCold } = await benchFuzz(fuzzCount);
const fuzzClasses = Object.entries(fz.byClass).map(([c, n]) => `${c} ${n}`);
const perMinute = (s: typeof fz) => Number(((s.scenarios * 60_000) / s.wall_ms).toFixed(2));
const fuzzGain = Number((perMinute(fz) / perMinute(fzCold)).toFixed(2));
rows.push({
  name: 'fuzz_cases_per_minute',
  value: perMinute(fz),
  unit: '',
  goal:
    `(from checkpoints; cold ${perMinute(fzCold)} on the same seed ${fz.seed}, same run: ${fuzzGain}x, goal >= 3x; ` +
    `four scenarios to a profile)`,
  met: fuzzGain >= 3,
});
rows.push({
  name: 'fuzz_steps_agree_ratio',
  value: Number(fz.agreeRatio.toFixed(4)),
  unit: '',
  goal:
    `>= 0.99 (seed ${fz.seed}: ${fz.scenarios} scenarios, ${fz.agreeing}/${fz.steps} steps agree; ` +
    `divergences: ${fuzzClasses.join(', ') || 'none'}; ${Math.round(fz.wall_ms / 1000)} s; ` +
    `BENCH_FUZZ_COUNT=${fuzzCount})`,
  met: fz.agreeRatio >= 0.99,
});

const machine =
  `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, QEMU ` +
  `${await qemuVersion(await qemuBinary())} TCG, ${new Date().toISOString().slice(0, 10)}`;
const table = [
  '| figure | value | goal | met |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${r.value} ${r.unit} | ${r.goal} | ${r.met ? 'yes' : 'NO'} |`),
].join('\n');
const counts =
  `Medians of at least ${runs} runs (boot ${bootRuns} of each path and UI boot ${uiBootRuns}, both in ` +
  `alternating order; snapshot ${Math.max(runs, 10)})`;
console.log(`\n${machine}. ${counts}, side by side in one run\n\n${table}`);

await writeFileAtomic(
  join(ROOT, 'bench/results.json'),
  JSON.stringify(
    {
      machine,
      runs,
      figures: Object.fromEntries(
        rows.map((r) => [r.name, { value: r.value, unit: r.unit, goal: r.goal, met: r.met }]),
      ),
    },
    null,
    2,
  ) + '\n',
);
const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const section =
  `<!-- bench:start -->\nMachine: ${machine}. ${counts}; ratios measured side by side in the same ` +
  `run (\`npm run bench\`, which rewrites this section).\n\n${table}\n<!-- bench:end -->`;
await writeFileAtomic(
  join(ROOT, 'README.md'),
  readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, section),
);
