// Kconfig fragments: read line by line as kconfig reads them, merged with a
// later line winning, and checked against the .config kconfig wrote.
import { describe, expect, it } from 'vitest';
import {
  describeUnstuck,
  effective,
  mergeFragments,
  parseFragment,
  readDotConfig,
  readKconfigWarnings,
  unstuck,
  FragmentLineError,
} from '../../../src-main/kernel-build/fragment';

describe('Kconfig fragments', () => {
  it('reads assignments and "is not set" lines with their origin, skipping comments and blanks', () => {
    const text =
      '# Device-private memory\n\nCONFIG_DEVICE_PRIVATE=y\r\n# CONFIG_DEBUG_FS is not set\nCONFIG_NAME="a b"\n';
    expect(parseFragment(text, 'hmm.config')).toEqual([
      { symbol: 'CONFIG_DEVICE_PRIVATE', value: 'y', origin: 'hmm.config line 3' },
      { symbol: 'CONFIG_DEBUG_FS', value: 'n', origin: 'hmm.config line 4' },
      { symbol: 'CONFIG_NAME', value: '"a b"', origin: 'hmm.config line 5' },
    ]);
  });

  it('refuses a line kconfig would only warn about, naming it', () => {
    expect(() => parseFragment('CONFIG_A=y\nDEVICE_PRIVATE=y\n', '--fragment my.config')).toThrow(
      new FragmentLineError('--fragment my.config line 2', 'DEVICE_PRIVATE=y'),
    );
    expect(() => parseFragment('CONFIG_A y', 'f')).toThrow('f line 1: "CONFIG_A y" is not a Kconfig line');
  });

  it('merges fragments in order, each headed by its name, and the last assignment of a symbol counts', () => {
    expect(
      mergeFragments([
        { name: 'base.config', text: 'CONFIG_A=y\nCONFIG_B=m\n' },
        { name: 'hmm.config', text: 'CONFIG_A=m' },
      ]),
    ).toBe('# ---- base.config\nCONFIG_A=y\nCONFIG_B=m\n# ---- hmm.config\nCONFIG_A=m\n');
    const a = [...parseFragment('CONFIG_A=y\nCONFIG_B=m\n', 'base'), ...parseFragment('CONFIG_A=m\n', 'mine')];
    expect(effective(a)).toEqual([
      { symbol: 'CONFIG_B', value: 'm', origin: 'base line 2' },
      { symbol: 'CONFIG_A', value: 'm', origin: 'mine line 1' },
    ]);
  });

  it('finds each setting that did not stick in a .config, with what .config has instead', () => {
    const dotConfig = readDotConfig(
      [
        '#',
        '# Automatically generated file; DO NOT EDIT.',
        'CONFIG_ZONE_DEVICE=y',
        '# CONFIG_DEVICE_PRIVATE is not set',
        'CONFIG_DAX=y',
        'CONFIG_DEV_DAX=m',
        'CONFIG_NR_CPUS=64',
        'CONFIG_DEBUG_FS=y',
      ].join('\n'),
    );
    const wanted = parseFragment(
      [
        'CONFIG_ZONE_DEVICE=y', // stuck
        'CONFIG_DEVICE_PRIVATE=y', // visible, but its dependencies keep it off
        'CONFIG_DEV_DAX_HMEM=m', // not written at all: unmet dependencies
        'CONFIG_DAX=m', // something selects it =y
        'CONFIG_NR_CPUS=64', // stuck
        '# CONFIG_DEBUG_FS is not set', // something selects it
        '# CONFIG_KASAN is not set', // stuck: not written
        'CONFIG_NO_SUCH=y', // kconfig said: unknown symbol
        'CONFIG_DEV_DAX=x', // kconfig said: invalid value
      ].join('\n'),
      'f',
    );
    const warnings = readKconfigWarnings(
      '/tmp/fragment.config:8:warning: unknown symbol: NO_SUCH\n' +
        "/tmp/fragment.config:9:warning: symbol value 'x' invalid for DEV_DAX\n",
    );
    const lost = unstuck(wanted, dotConfig, warnings);
    expect(lost.map((u) => [u.wanted.symbol, u.got])).toEqual([
      ['CONFIG_DEVICE_PRIVATE', 'n'],
      ['CONFIG_DEV_DAX_HMEM', undefined],
      ['CONFIG_DAX', 'y'],
      ['CONFIG_DEBUG_FS', 'y'],
      ['CONFIG_NO_SUCH', undefined],
      ['CONFIG_DEV_DAX', 'm'],
    ]);
    expect(describeUnstuck(lost).split('\n')).toEqual([
      '  CONFIG_DEVICE_PRIVATE=y (f line 2) did not stick: .config has # CONFIG_DEVICE_PRIVATE is not set (its ' +
        'dependencies are not met)',
      '  CONFIG_DEV_DAX_HMEM=m (f line 3) did not stick: .config has no such line (its dependencies are not met)',
      '  CONFIG_DAX=m (f line 4) did not stick: .config has CONFIG_DAX=y instead (something selects it, or a ' +
        'dependency limits it)',
      '  # CONFIG_DEBUG_FS is not set (f line 6) did not stick: .config has CONFIG_DEBUG_FS=y (something selects it)',
      '  CONFIG_NO_SUCH=y (f line 8) did not stick: no such symbol in this source tree (a typo, or a symbol of ' +
        'another kernel version)',
      '  CONFIG_DEV_DAX=x (f line 9) did not stick: kconfig refused the value; .config has CONFIG_DEV_DAX=m',
    ]);
  });
});
