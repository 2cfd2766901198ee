// Finding built kernels in a temp PMEM_LAB_DATA: a preset name finds the
// newest Debian-source build of its current fragments (of the installed
// package version, when there is one).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBuiltKernel, listPresets } from '../../../src-main/kernel-build';
import { debianBuildsOf, diskUsage, lastObjectCount, readBuilds } from '../../../src-main/kernel-build/cache';
import { mergedConfig } from '../../../src-main/kernel-build/presets';
import { debianSourceVersion } from '../../../src-main/kernel-build/source';
import { fakeBuild, installedIdentity as installed } from './fake-build';
import { fakeLab, type FakeLab } from './fake-tree';

let lab: FakeLab;
beforeEach(() => {
  lab = fakeLab();
});
afterEach(() => lab.remove());

describe('built kernels', () => {
  it("finds the newest Debian build of the preset's current fragments, and nothing else", async () => {
    expect(await findBuiltKernel('hmm')).toBeUndefined();
    const identity = await installed();
    await fakeBuild({ preset: 'hmm', identity, builtAt: '2026-11-01T00:00:00.000Z' });
    const newest = await fakeBuild({ preset: 'hmm', identity: `${identity}+x`, builtAt: '2026-11-03T00:00:00.000Z' });
    await fakeBuild({
      preset: 'hmm',
      identity: `tree /src/linux 6.1.0`,
      kind: 'tree',
      builtAt: '2026-11-04T00:00:00Z',
    });
    await fakeBuild({
      preset: 'hmm',
      identity,
      builtAt: '2026-11-05T00:00:00Z',
      files: false,
      key: 'hmm-000000000000',
    });
    const found = await findBuiltKernel('hmm');
    // the build of another package version is stale while a version is installed
    if (await debianSourceVersion()) expect(found?.builtAt).toBe('2026-11-01T00:00:00.000Z');
    else expect(found?.dir).toBe(newest.dir);
    // either way, by the rule itself
    const { configHash } = await mergedConfig('hmm');
    const builds = await readBuilds();
    const of = (installed: string | undefined) =>
      debianBuildsOf(builds, 'hmm', configHash, installed).map((k) => k.builtAt);
    expect(of(identity)).toEqual(['2026-11-05T00:00:00Z', '2026-11-01T00:00:00.000Z']);
    expect(of(undefined)).toEqual(['2026-11-05T00:00:00Z', '2026-11-03T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    expect(debianBuildsOf(builds, 'hmm', configHash, undefined)[1]).toEqual({
      preset: 'hmm',
      hash: newest.hash,
      dir: newest.dir,
      image: join(newest.dir, 'vmlinux'),
      modulesDir: join(newest.dir, 'lib/modules/6.1.192'),
      release: '6.1.192',
      seconds: 581,
      builtAt: '2026-11-03T00:00:00.000Z',
    });
    expect(await findBuiltKernel('base')).toBeUndefined();
    expect(await findBuiltKernel('nope')).toBeUndefined();
    expect(await lastObjectCount('hmm')).toBe(1234);
    expect(await lastObjectCount('base')).toBeUndefined();
    // a change to the preset's fragment makes its build stale
    lab.writePreset('hmm', '# Changed.\nCONFIG_HMM_B=y\n');
    expect(await findBuiltKernel('hmm')).toBeUndefined();
  });

  it('lists the presets with their description and build', async () => {
    const { dir } = await fakeBuild({ preset: 'base', identity: await installed(), builtAt: '2026-11-01T00:00:00Z' });
    const list = await listPresets();
    expect(list.map((p) => [p.name, p.description, p.built?.dir])).toEqual([
      ['base', 'The base.', dir],
      ['hmm', 'Device-private memory, and its test driver.', undefined],
    ]);
    expect(await diskUsage(dir)).toBeGreaterThan(0);
  });
});
