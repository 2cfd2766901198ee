// What the model believes each preset's kernel ships (profile/kernel-modules.ts)
// against the fragments the lab builds it from (kernel-presets/*.config): a
// module is shipped exactly when base + preset set its symbol to m.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELLED_MODULES } from '../../../src-shared/actions/modules';
import { optionalModules } from '../../../src-shared/profile/kernel-modules';

const PRESETS = join(import.meta.dirname, '../../../kernel-presets');
/** the Kconfig symbol of each module the vocabulary loads */
const SYMBOL: Record<(typeof MODELLED_MODULES)[number], string> = { test_hmm: 'CONFIG_TEST_HMM' };
const fragment = (name: string) => readFileSync(join(PRESETS, `${name}.config`), 'utf8');

describe('the modules a preset kernel ships', () => {
  const presets = readdirSync(PRESETS)
    .filter((f) => f.endsWith('.config'))
    .map((f) => f.slice(0, -7));

  it('are the fragments’ modules, for every preset', () => {
    expect(presets).toEqual(expect.arrayContaining(['base', 'debug', 'hmm']));
    for (const preset of presets) {
      const text = `${fragment('base')}\n${fragment(preset)}`;
      const shipped = MODELLED_MODULES.filter((m) => new RegExp(`^${SYMBOL[m]}=m$`, 'm').test(text));
      expect([...optionalModules({ preset })], preset).toEqual(shipped);
    }
  });

  it('are none for the host kernel and for a build given by path', () => {
    expect(optionalModules('host')).toEqual([]);
    expect(optionalModules({ path: '/boot/vmlinuz', modules: '/lib/modules/6.1' })).toEqual([]);
  });
});
