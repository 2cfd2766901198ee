// The presets: listed from kernel-presets/, described by their leading
// comment, merged with base and a user's fragment, and hashed so that a change
// to any input is a new build.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildHash,
  describeFragment,
  mergedConfig,
  presetNames,
  readPreset,
} from '../../../src-main/kernel-build/presets';
import { KitInputError } from '../../../src-main/kit/sources';
import { fakeLab, type FakeLab } from './fake-tree';

describe('the shipped presets', () => {
  it('are base first, then the others, each described by its leading comment', async () => {
    const names = await presetNames();
    expect(names[0]).toBe('base');
    expect(names).toEqual(expect.arrayContaining(['hmm', 'debug']));
    expect((await readPreset('hmm')).description).toMatch(/^Device-private memory \(HMM\) and its test driver: /);
    expect((await readPreset('base')).description).toMatch(
      /^The trimmed lab base every preset starts from: .*kernel\.$/,
    );
  });

  it('merge into one config whose every line is a Kconfig line', async () => {
    const c = await mergedConfig('hmm');
    expect(c.text).toMatch(/^# ---- base\.config\n[^]*\n# ---- hmm\.config\n[^]*CONFIG_TEST_HMM=m\n$/);
    expect(c.assignments.find((a) => a.symbol === 'CONFIG_DEVICE_PRIVATE')).toMatchObject({
      value: 'y',
      origin: expect.stringMatching(/^hmm\.config line \d+$/),
    });
  });
});

describe('preset fragments', () => {
  let lab: FakeLab;
  beforeEach(() => {
    lab = fakeLab();
  });
  afterEach(() => lab.remove());

  it('describes a fragment by the first paragraph of its leading comment', () => {
    expect(describeFragment('# One,\n#  two.\n#\n# Later.\nCONFIG_A=y\n')).toBe('One, two.');
    expect(describeFragment('# Only this.\nCONFIG_A=y\n# not this\n')).toBe('Only this.');
    expect(describeFragment('CONFIG_A=y\n')).toBe('');
  });

  it('refuses an unknown preset with the list, and a bad user fragment naming its line', async () => {
    await expect(readPreset('nope')).rejects.toThrow(
      new KitInputError(
        'no kernel preset "nope"',
        `pick one of base, hmm (the fragments in ${lab.root}/kernel-presets)`,
      ),
    );
    const mine = join(lab.root, 'mine.config');
    writeFileSync(mine, 'CONFIG_A=y\nmodprobe test_hmm\n');
    await expect(mergedConfig('hmm', mine)).rejects.toThrow(
      `--fragment ${mine} line 2: "modprobe test_hmm" is not a Kconfig line\n  fix: write one CONFIG_NAME=value`,
    );
    await expect(mergedConfig('hmm', join(lab.root, 'absent.config'))).rejects.toThrow(
      `--fragment ${join(lab.root, 'absent.config')}: cannot read it (ENOENT)`,
    );
  });

  it('base alone for base; base, the preset and the user fragment in that order for the others', async () => {
    expect((await mergedConfig('base')).text).toBe(
      '# ---- base.config\n# The base.\n#\n# More words.\nCONFIG_BASE_A=y\n',
    );
    const mine = join(lab.root, 'mine.config');
    writeFileSync(mine, 'CONFIG_BASE_A=m\n');
    const c = await mergedConfig('hmm', mine);
    expect(c.assignments.map((a) => `${a.symbol}=${a.value} (${a.origin})`)).toEqual([
      'CONFIG_BASE_A=y (base.config line 4)',
      'CONFIG_HMM_B=m (hmm.config line 3)',
      `CONFIG_BASE_A=m (--fragment ${mine} line 1)`,
    ]);
  });

  it('hashes so that the source, base, the preset and the user fragment each change the build', async () => {
    const identity = 'linux-source-6.1 6.1.192-2';
    const hmm = await mergedConfig('hmm');
    const hashes = [buildHash(identity, hmm), buildHash('linux-source-6.1 6.1.193-1', hmm)];
    const mine = join(lab.root, 'mine.config');
    writeFileSync(mine, 'CONFIG_MINE=y\n');
    hashes.push(buildHash(identity, await mergedConfig('hmm', mine)));
    lab.writePreset('base', '# The base.\nCONFIG_BASE_A=y\nCONFIG_BASE_C=y\n');
    hashes.push(buildHash(identity, await mergedConfig('hmm')));
    lab.writePreset('hmm', '# Device-private memory.\nCONFIG_HMM_B=y\n');
    const last = await mergedConfig('hmm');
    hashes.push(buildHash(identity, last));
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    // the same inputs, the same hash; the config hash leaves the source out
    expect(buildHash(identity, await mergedConfig('hmm'))).toBe(hashes.at(-1));
    expect((await mergedConfig('hmm')).configHash).toBe(last.configHash);
    expect(last.configHash).not.toBe(hmm.configHash);
  });
});
