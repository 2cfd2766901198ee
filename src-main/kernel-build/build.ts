// pmem-lab kernel build: a preset's kernel from Debian's linux-source-6.1 or
// a user's tree, as verified by hand on the lab's machine:
//   make O=OUT allnoconfig KCONFIG_ALLCONFIG=FRAG   (FRAG: base + preset + user fragment)
//   every line of FRAG checked in OUT/.config
//   make O=OUT -jN vmlinux bzImage modules
//   make O=OUT modules_install INSTALL_MOD_PATH=STAGE
// The result is written in a tmp folder and renamed into DATA/kernels/KEY;
// the object folder goes after a success (it is large), and stays after a
// failure or an abort, so the next build of the same key resumes where it was.
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { KitInputError } from '../kit/sources';
import { cacheDir } from '../util/paths';
import { which } from '../util/which';
import { builtKernelOf, cacheKey, kernelsDir, lastObjectCount, readManifest, type Manifest } from './cache';
import { CompileCounter, DEFAULT_OBJECTS, formatDuration } from './estimate';
import { describeUnstuck, readDotConfig, readKconfigWarnings, unstuck } from './fragment';
import { acquireLock, removeAbandoned } from './lock';
import { runMake } from './make';
import { buildHash, mergedConfig, type MergedConfig } from './presets';
import { debianIdentity, debianSource, debianSourceVersion, userTree, type SourceTree } from './source';
import type { BuildProgress, BuiltKernel } from './types';

export interface BuildOptions {
  preset: string;
  /** a user's kernel tree (default: Debian's linux-source-6.1) */
  source?: string;
  /** a user's Kconfig fragment, applied after base and the preset */
  fragment?: string;
  /** make -jN (default: the cores) */
  jobs?: number;
  onProgress?: (p: BuildProgress) => void;
  signal?: AbortSignal;
}

type Report = (p: BuildProgress) => void;

/** The preset's kernel: from the cache at once when built before, else built (10 to 13 minutes on 2 cores). */
export async function buildPresetKernel(o: BuildOptions): Promise<BuiltKernel> {
  const report: Report = o.onProgress ?? (() => {});
  const config = await mergedConfig(o.preset, o.fragment); // refuses a bad preset or fragment before anything else
  // The cache key needs the source's identity only: dpkg's version, or the tree's; extraction waits for a miss.
  let tree = o.source !== undefined ? await userTree(o.source) : undefined;
  const version = tree ? undefined : await debianSourceVersion();
  // Without the package there is no version to key on: install it (as root) and extract it first.
  if (!tree && !version) tree = await debianSource(report, o.signal);
  const identity = tree ? tree.identity : debianIdentity(version!);
  const key = cacheKey(o.preset, buildHash(identity, config));
  const final = join(kernelsDir(), key);
  const hit = await cached(final, report);
  if (hit) return hit;

  await mkdir(kernelsDir(), { recursive: true });
  const release = await acquireLock(join(kernelsDir(), `${key}.lock`), {
    signal: o.signal,
    onWait: (pid) => report({ stage: 'source', detail: `waiting for another build of ${key} (pid ${pid}) to finish` }),
  });
  try {
    // The build that held the lock has most likely just made it.
    const made = await cached(final, report);
    if (made) return made;
    await removeAbandoned(kernelsDir());
    tree ??= await debianSource(report, o.signal);
    return await build({ ...o, config, tree, key, final, report });
  } finally {
    await release();
  }
}

async function cached(dir: string, report: Report): Promise<BuiltKernel | undefined> {
  const m = await readManifest(dir);
  if (!m) return undefined;
  report({
    stage: 'cached',
    detail: `${m.preset} ${m.release}, built ${m.builtAt} in ${formatDuration(m.seconds)}, in ${dir}`,
  });
  return builtKernelOf(dir, m);
}

interface BuildJob extends BuildOptions {
  config: MergedConfig;
  tree: SourceTree;
  key: string;
  final: string;
  report: Report;
}

async function build(j: BuildJob): Promise<BuiltKernel> {
  const started = performance.now();
  const work = join(cacheDir(), 'kernel-build', j.key);
  const obj = join(work, 'obj');
  const log = join(work, 'build.log');
  const fragment = join(work, 'fragment.config');
  await mkdir(obj, { recursive: true });
  await writeFile(fragment, j.config.text);
  const make = (args: string[], onLine?: (line: string) => void) =>
    runMake({ src: j.tree.dir, args: [`O=${obj}`, ...args], log, signal: j.signal, ...(onLine ? { onLine } : {}) });

  j.report({ stage: 'config', detail: `make allnoconfig with ${j.config.assignments.length} settings (log: ${log})` });
  const kconfigSaid: string[] = [];
  await make(['allnoconfig', `KCONFIG_ALLCONFIG=${fragment}`, 'KCONFIG_WARN_UNKNOWN_SYMBOLS=1'], (l) =>
    kconfigSaid.push(l),
  );
  const lost = unstuck(
    j.config.assignments,
    readDotConfig(await readFile(join(obj, '.config'), 'utf8')),
    readKconfigWarnings(kconfigSaid.join('\n')),
  );
  if (lost.length)
    throw new KitInputError(
      `${lost.length === 1 ? 'a setting' : `${lost.length} settings`} of the config did not stick in .config:\n` +
        describeUnstuck(lost),
      `look ${lost.length === 1 ? 'it' : 'them'} up with "make -C ${j.tree.dir} O=${obj} menuconfig" ` +
        `(/ searches, and shows what each depends on), then change the fragment`,
    );

  const jobs = Math.max(1, Math.floor(j.jobs ?? availableParallelism()));
  const last = await lastObjectCount(j.preset);
  const counter = new CompileCounter(last ?? DEFAULT_OBJECTS);
  j.report({
    stage: 'compile',
    detail:
      `make -j${jobs} vmlinux bzImage modules, about ${last ?? DEFAULT_OBJECTS} objects ` +
      `(${last ? `as the last ${j.preset} build made` : 'a first build: 10 to 13 minutes on 2 cores'})`,
    percent: 0,
  });
  await make([`-j${jobs}`, 'vmlinux', 'bzImage', 'modules'], (l) => {
    const p = counter.line(l);
    if (p) j.report(p);
  });

  j.report({ stage: 'install', detail: 'make modules_install' });
  const release = String(
    (await execa('make', ['-s', '-C', j.tree.dir, `O=${obj}`, 'kernelrelease'], { env: { LC_ALL: 'C' } })).stdout,
  ).trim();
  const manifest: Omit<Manifest, 'seconds' | 'builtAt'> = {
    preset: j.preset,
    hash: buildHash(j.tree.identity, j.config),
    configHash: j.config.configHash,
    source: { kind: j.tree.kind, identity: j.tree.identity },
    release,
    objects: counter.objects,
  };
  const done = await writeResult(j.final, async (stage) => {
    await make(['modules_install', `INSTALL_MOD_PATH=${stage}`, `DEPMOD=${await depmod()}`]);
    const modules = join(stage, 'lib', 'modules', release);
    // They point at the object folder, deleted below, and at the source tree: nothing the guest needs.
    await rm(join(modules, 'build'), { force: true });
    await rm(join(modules, 'source'), { force: true });
    if (!(await readFile(join(modules, 'modules.dep')).then(Boolean, () => false)))
      throw new Error(`make modules_install left no ${join(modules, 'modules.dep')}; see ${log}`);
    await copyFile(join(obj, 'vmlinux'), join(stage, 'vmlinux'));
    await copyFile(join(obj, '.config'), join(stage, 'config'));
    await copyFile(log, join(stage, 'build.log'));
    const seconds = Math.round((performance.now() - started) / 1000);
    const m: Manifest = { ...manifest, seconds, builtAt: new Date().toISOString() };
    await writeFile(join(stage, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
    return m;
  });
  await rm(work, { recursive: true, force: true });
  j.report({ stage: 'done', detail: `${j.preset} ${release} in ${formatDuration(done.seconds)}, in ${j.final}` });
  return builtKernelOf(j.final, done);
}

/** depmod from the sbin folders a user's PATH may lack: make modules_install quietly skips it when not found. */
async function depmod(): Promise<string> {
  const path = await which('depmod');
  if (!path)
    throw new KitInputError(
      'depmod not found: the modules would have no modules.dep',
      'apt-get install -y --no-install-recommends kmod',
    );
  return path;
}

/** Fills a fresh tmp folder beside `final` and renames it into place, or removes it: never half a result. */
async function writeResult<T>(final: string, fill: (stage: string) => Promise<T>): Promise<T> {
  const stage = `${final}.tmp.${process.pid}`;
  await rm(stage, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });
  try {
    const out = await fill(stage);
    await rm(final, { recursive: true, force: true }); // only a folder without a manifest can be there (locked)
    await rename(stage, final);
    return out;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
