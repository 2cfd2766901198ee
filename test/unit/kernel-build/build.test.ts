// The builder's whole path on a stand-in tree (fake-tree.ts): every stage
// reported, the result renamed into place whole, the second build cached, a
// setting that did not stick refused by name, an abort that stops make's
// process group and leaves no result, two builds of one key one after the other.
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPresetKernel, findBuiltKernel, type BuildProgress } from '../../../src-main/kernel-build';
import { KitInputError } from '../../../src-main/kit/sources';
import { fakeLab, FAKE_RELEASE, type FakeLab } from './fake-tree';

let lab: FakeLab;
beforeEach(() => {
  lab = fakeLab();
});
afterEach(() => {
  delete process.env.FAKE_DROP;
  delete process.env.FAKE_SLEEP;
  lab.remove();
});

const kernels = () => join(lab.data, 'kernels');
const build = (o: { preset?: string; fragment?: string; signal?: AbortSignal } = {}) => {
  const progress: BuildProgress[] = [];
  const done = buildPresetKernel({
    preset: o.preset ?? 'hmm',
    source: lab.tree,
    jobs: 2,
    onProgress: (p) => progress.push(p),
    ...(o.fragment ? { fragment: o.fragment } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { done, progress };
};

describe('kernel build', () => {
  it('configures, checks, compiles with progress, installs, and renames the result into place', async () => {
    const { done, progress } = build();
    const k = await done;
    // the first build is measured against the default count, so its few objects stay at 0%
    expect(progress.map((p) => p.stage)).toEqual(['config', 'compile', 'compile', 'install', 'done']);
    expect(progress[1]!.detail).toMatch(/^make -j2 vmlinux bzImage modules, about \d+ objects \(a first build/);
    expect(progress[2]).toMatchObject({ stage: 'compile', percent: 0, detail: expect.stringMatching(/^1\/~\d+ obj/) });
    expect(k).toMatchObject({
      preset: 'hmm',
      release: FAKE_RELEASE,
      dir: join(kernels(), `hmm-${k.hash.slice(0, 12)}`),
    });
    expect(readdirSync(k.dir).sort()).toEqual(['build.log', 'config', 'lib', 'manifest.json', 'vmlinux']);
    expect(readFileSync(join(k.modulesDir, 'modules.dep'), 'utf8')).toContain('test_hmm.ko');
    // the links into the object folder (deleted) and the source tree are not kept
    expect(readdirSync(k.modulesDir).sort()).toEqual(['kernel', 'modules.dep']);
    expect(readFileSync(join(k.dir, 'config'), 'utf8')).toMatch(/CONFIG_BASE_A=y\n[^]*CONFIG_HMM_B=m\n/);
    expect(readFileSync(join(k.dir, 'build.log'), 'utf8')).toContain('  CC [M]  modules.o');
    const manifest = JSON.parse(readFileSync(join(k.dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ preset: 'hmm', objects: 7, source: { kind: 'tree' }, release: FAKE_RELEASE });
    expect(manifest.source.identity).toBe(`tree ${lab.tree} ${FAKE_RELEASE}`);
    expect(readdirSync(kernels())).toEqual([`hmm-${k.hash.slice(0, 12)}`]); // no lock, no tmp folder
    expect(readdirSync(join(lab.cache, 'kernel-build'))).toEqual([]); // the object folder is gone
    // a tree's build is reached by its paths: a preset name finds Debian's builds only
    expect(await findBuiltKernel('hmm')).toBeUndefined();

    const again = build();
    const t0 = performance.now();
    expect(await again.done).toEqual(k);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(again.progress.map((p) => p.stage)).toEqual(['cached']);
  });

  it('estimates a build from the last build of the same preset', async () => {
    await build().done;
    const fragment = join(lab.root, 'mine.config');
    writeFileSync(fragment, 'CONFIG_MINE=y\n');
    const { done, progress } = build({ fragment });
    await done;
    expect(progress[1]!.detail).toBe('make -j2 vmlinux bzImage modules, about 7 objects (as the last hmm build made)');
    expect(progress.filter((p) => p.stage === 'compile').at(-1)).toMatchObject({ percent: 99 });
  });

  it('refuses a config whose settings did not stick, naming each with its origin, and writes no result', async () => {
    process.env.FAKE_DROP = 'MINE';
    const fragment = join(lab.root, 'mine.config');
    writeFileSync(fragment, '# mine\nCONFIG_MINE=y\n');
    const { done, progress } = build({ fragment });
    const e = await done.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KitInputError);
    const message = (e as Error).message;
    expect(message).toMatch(
      new RegExp(
        '^a setting of the config did not stick in \\.config:\n' +
          `  CONFIG_MINE=y \\(--fragment ${fragment} line 2\\) did not stick: .config has no such line \\(its ` +
          'dependencies are not met\\)\n' +
          `  fix: look it up with "make -C ${lab.tree} O=${lab.cache}/kernel-build/hmm-[0-9a-f]{12}/obj menuconfig"`,
      ),
    );
    expect(progress.map((p) => p.stage)).toEqual(['config']);
    expect(readdirSync(kernels())).toEqual([]);
  });

  it('stops make and its whole process group on abort, leaving no result and no lock', async () => {
    process.env.FAKE_SLEEP = '37.25'; // a length no other process sleeps, to find this one by
    const abort = new AbortController();
    const { done } = build({ signal: abort.signal });
    const started = performance.now();
    const sleeping = async () => (await execa('pgrep', ['-f', 'sleep 37.25'], { reject: false })).exitCode === 0;
    while (!(await sleeping())) {
      expect(performance.now() - started).toBeLessThan(10_000);
      await new Promise((r) => setTimeout(r, 50));
    }
    abort.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(await sleeping()).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(readdirSync(kernels())).toEqual([]);
  });

  it('runs two builds of one key one after the other: the second waits, then finds the first one built', async () => {
    process.env.FAKE_SLEEP = '0.5';
    const first = build();
    const second = build();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(b).toEqual(a);
    const stages = [first.progress, second.progress].map((ps) => ps.map((p) => p.stage));
    const waited = stages.findIndex((s) => s[0] === 'source');
    expect(waited).toBeGreaterThanOrEqual(0);
    expect([first, second][waited]!.progress[0]!.detail).toMatch(/^waiting for another build of hmm-\w+ \(pid \d+\)/);
    expect(stages[waited]).toEqual(['source', 'cached']);
    expect(stages[1 - waited]).toContain('done');
  });

  it('refuses a --source that is no kernel tree, or one configured in place, with the fix', async () => {
    await expect(buildPresetKernel({ preset: 'hmm', source: lab.root })).rejects.toThrow(
      `--source ${lab.root}: ${lab.root} is not a Linux source tree (it has no Makefile)`,
    );
    writeFileSync(join(lab.tree, '.config'), '');
    await expect(buildPresetKernel({ preset: 'hmm', source: lab.tree })).rejects.toThrow(
      new RegExp(`it has \\.config\\)[^]*\\n {2}fix: make -C ${lab.tree} mrproper`),
    );
    expect(existsSync(kernels())).toBe(false);
    expect(lstatSync(lab.tree).isDirectory()).toBe(true);
  });
});
