// pmem-lab kernel build [PRESET] | kernel list: the lab's own guest kernels
// (src-main/kernel-build). Progress goes to stderr, so --json stays clean.
import { buildPresetKernel, listPresets, type BuiltKernel } from '../kernel-build';
import { diskUsage } from '../kernel-build/cache';
import { formatDuration } from '../kernel-build/estimate';
import { BASE_PRESET } from '../kernel-build/presets';
import { wrap } from './help';
import { kernelProgressPrinter } from './progress';
import { stopOnSignals } from './signals';
import { UsageError, type CommandArgs } from './spec';

const BUILD_ONLY = ['source', 'fragment', 'jobs'];

export async function kernelCommand(args: CommandArgs): Promise<number> {
  return args.positional === 'list' ? listCommand(args) : buildCommand(args);
}

function jobsOf(args: CommandArgs): number | undefined {
  const text = args.options.get('jobs');
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new UsageError(`--jobs takes a whole number from 1 to 9999, not "${text}"`);
  return Number(text);
}

async function buildCommand(args: CommandArgs): Promise<number> {
  const preset = args.second ?? BASE_PRESET;
  const source = args.options.get('source');
  const fragment = args.options.get('fragment');
  const jobs = jobsOf(args);
  const abort = new AbortController();
  let cached = false;
  const print = kernelProgressPrinter();
  const building = buildPresetKernel({
    preset,
    ...(source !== undefined ? { source } : {}),
    ...(fragment !== undefined ? { fragment } : {}),
    ...(jobs !== undefined ? { jobs } : {}),
    signal: abort.signal,
    onProgress: (p) => {
      cached ||= p.stage === 'cached';
      print(p);
    },
  });
  // Ctrl-C stops make's whole process group (it runs in a group of its own) before the process exits.
  const release = stopOnSignals(async () => {
    abort.abort();
    await building.catch(() => undefined);
  });
  try {
    const built = await building;
    if (args.flags.has('json')) console.log(JSON.stringify({ ...built, cached }, null, 2));
    else console.log(describeBuild(built, cached, source === undefined && fragment === undefined));
    return 0;
  } finally {
    release();
  }
}

/** Where the build is, and the profile lines that boot it. */
function describeBuild(k: BuiltKernel, cached: boolean, byPreset: boolean): string {
  const how = cached
    ? `cached, built ${k.builtAt} in ${formatDuration(k.seconds)}`
    : `built in ${formatDuration(k.seconds)}`;
  const profile = byPreset
    ? ['in a profile:', `  kernel: { preset: ${k.preset} }`]
    : [
        "in a profile (by its paths: a preset name finds only builds of its own fragments from Debian's source):",
        '  kernel:',
        `    path: ${k.image}`,
        `    modules: ${k.modulesDir}`,
      ];
  return [
    `${k.preset} ${k.release} (${how})`,
    `  folder   ${k.dir}`,
    `  vmlinux  ${k.image}`,
    `  modules  ${k.modulesDir}`,
    '',
    ...profile,
  ].join('\n');
}

async function listCommand(args: CommandArgs): Promise<number> {
  const stray = BUILD_ONLY.filter((o) => args.options.has(o));
  if (stray.length) throw new UsageError(`${stray.map((o) => `--${o}`).join(', ')}: for kernel build, not kernel list`);
  const presets = await listPresets();
  const wanted = args.second === undefined ? presets : presets.filter((p) => p.name === args.second);
  if (!wanted.length)
    throw new UsageError(`no kernel preset "${args.second}"; presets: ${presets.map((p) => p.name).join(', ')}`);
  const rows = await Promise.all(
    wanted.map(async ({ built, ...p }) => ({ ...p, built: built && { ...built, bytes: await diskUsage(built.dir) } })),
  );
  if (args.flags.has('json')) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const state = r.built
      ? `built: ${r.built.release}, ${Math.round(r.built.bytes / 2 ** 20)} MiB on disk, in ${r.built.dir}`
      : `not built (pmem-lab kernel build ${r.name})`;
    console.log(`${r.name.padEnd(width)}  ${state}`);
    for (const line of wrap(r.description, 76).split('\n')) console.log(`${' '.repeat(width)}    ${line}`);
  }
  return 0;
}
