// pmem-lab kernel build for real: the hmm preset from Debian's
// linux-source-6.1, into the user's own data folder (not a temp one), so later
// tests and the user boot it from the cache. The first run compiles (9-13
// minutes on the lab's 2-core machine), later ones find it built at once;
// then a guest boots it from a profile naming the preset.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildPresetKernel, findBuiltKernel, type BuildProgress } from '../../src-main/kernel-build';
import { hasPvhNote } from '../../src-main/kit/vmlinux';
import { dataDir } from '../../src-main/util/paths';
import { ProfileSchema } from '../../src-shared/profile/schema';
import { boot, stopAll } from './helpers';

const cli = (args: string[]) => execa('node', ['bin/pmem-lab.js', ...args], { reject: false });
const kernels = () => join(dataDir(), 'kernels');
/** What the kernels folder holds (nothing yet on a fresh machine). */
const listing = (): string[] => {
  try {
    return readdirSync(kernels()).sort();
  } catch {
    return [];
  }
};

describe('pmem-lab kernel build', () => {
  it('refuses a fragment whose settings cannot stick, naming each, after allnoconfig alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kernel-fragment-'));
    const fragment = join(dir, 'impossible.config');
    // TEST_HMM depends on DEVICE_PRIVATE, which base does not set; the other symbol exists in no kernel.
    writeFileSync(fragment, '# mine\nCONFIG_TEST_HMM=m\nCONFIG_PMEM_LAB_NO_SUCH_SYMBOL=y\n');
    const before = listing();
    try {
      const r = await cli(['kernel', 'build', 'base', '--fragment', fragment, '--json']);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('2 settings of the config did not stick in .config:');
      expect(r.stderr).toContain(
        `CONFIG_TEST_HMM=m (--fragment ${fragment} line 2) did not stick: .config has no such line (its ` +
          'dependencies are not met)',
      );
      expect(r.stderr).toMatch(/CONFIG_PMEM_LAB_NO_SUCH_SYMBOL=y \(.* line 3\) did not stick: no such symbol/);
      expect(r.stderr).toMatch(/fix: look them up with "make -C \S+ O=\S+ menuconfig"/);
      expect(r.stderr).not.toContain('kernel: compile');
      expect(listing()).toEqual(before); // no result, not even a tmp folder
      // The refused build's work folder (its .config, for menuconfig) is the user's to look into; not the test's.
      const work = /O=(\S+)\/obj menuconfig/.exec(r.stderr)![1]!;
      rmSync(work, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it(
    'builds the hmm preset: a vmlinux with a PVH note and its modules, test_hmm among them; then cached',
    async () => {
      const r = await cli(['kernel', 'build', 'hmm', '--json']);
      expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
      const built = JSON.parse(r.stdout);
      expect(built).toMatchObject({
        preset: 'hmm',
        dir: join(kernels(), `hmm-${built.hash.slice(0, 12)}`),
        release: expect.stringMatching(/^6\.1\.\d+/),
      });
      expect(built.image).toBe(join(built.dir, 'vmlinux'));
      expect(built.modulesDir).toBe(join(built.dir, 'lib/modules', built.release));
      expect(hasPvhNote(await readFile(built.image))).toBe(true);
      const dep = await readFile(join(built.modulesDir, 'modules.dep'), 'utf8');
      for (const m of ['test_hmm', 'libnvdimm', 'nd_pmem', 'nfit', 'device_dax', 'dax_pmem', 'kmem'])
        expect(dep, m).toMatch(new RegExp(`(^|/)${m}\\.ko:`, 'm'));
      const config = await readFile(join(built.dir, 'config'), 'utf8');
      expect(config).toContain('\nCONFIG_DEVICE_PRIVATE=y\n');
      expect(await readFile(join(built.dir, 'build.log'), 'utf8')).toContain('modules_install');
      expect(await findBuiltKernel('hmm')).toEqual({ ...built, cached: undefined });

      // The same build again: found, not built.
      const stages: BuildProgress['stage'][] = [];
      const t0 = performance.now();
      const again = await buildPresetKernel({ preset: 'hmm', onProgress: (p) => stages.push(p.stage) });
      expect(performance.now() - t0).toBeLessThan(500);
      expect(stages).toEqual(['cached']);
      expect(again).toEqual({ ...built, cached: undefined });
      const viaCli = await cli(['kernel', 'build', 'hmm', '--json']);
      expect(viaCli.stderr).toMatch(/^kernel: cached: hmm 6\.1\.\d+, built .* in \d+m\d+s, in /);
      expect(JSON.parse(viaCli.stdout)).toEqual({ ...built, cached: true });
    },
    30 * 60_000,
  );

  it("boots a profile naming the preset: the guest runs the lab's own kernel", async () => {
    const built = await findBuiltKernel('hmm');
    expect(built, 'the test above builds it').toBeDefined();
    const profile = ProfileSchema.parse({
      name: 'hmm-preset',
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      nvdimms: [{ id: 'nvdimm0', size: '1G', labels: '128K' }],
      kernel: { preset: 'hmm' },
    });
    try {
      const s = await (await boot(profile)).snapshot();
      expect(s.kernel).toBe(built!.release);
      expect(s.iomem).toContain(' : Persistent Memory\n');
      expect(s.nd.regions).toHaveLength(1);
    } finally {
      await stopAll();
    }
  });
});
