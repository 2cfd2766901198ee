// pmem-lab kernel on the command line: a verb and a preset, build's options
// refused after list, and the progress a terminal and a log each get.
import { describe, expect, it } from 'vitest';
import { kernelCommand } from '../../../src-main/cli/kernel';
import { findCommand } from '../../../src-main/cli/commands';
import { commandHelp } from '../../../src-main/cli/help';
import { parseCommandLine } from '../../../src-main/cli/parse';
import { kernelProgressPrinter } from '../../../src-main/cli/progress';
import { UsageError, type CommandArgs } from '../../../src-main/cli/spec';

const args = (argv: string[]): CommandArgs => {
  const r = parseCommandLine(argv);
  if (r.kind !== 'run') throw new Error(`expected a command, got ${r.kind}`);
  return r.args;
};
const mistake = (argv: string[]): string => {
  try {
    parseCommandLine(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('pmem-lab kernel', () => {
  it('takes build or list, then a preset, and the build options', () => {
    const a = args(['kernel', 'build', 'hmm', '--source', 'd', '--fragment', 'f', '--jobs', '4', '--json']);
    expect([a.positional, a.second, [...a.flags], Object.fromEntries(a.options)]).toEqual([
      'build',
      'hmm',
      ['json'],
      { source: 'd', fragment: 'f', jobs: '4' },
    ]);
    expect(args(['kernel', 'list'])).toMatchObject({ positional: 'list', second: undefined });
    expect(args(['kernel', 'build'])).toMatchObject({ positional: 'build', second: undefined });
    expect(mistake(['kernel'])).toBe('kernel needs an ACTION: build or list');
    expect(mistake(['kernel', 'make', 'hmm'])).toBe('kernel takes build or list as ACTION, not "make"');
    expect(mistake(['kernel', 'build', 'hmm', 'debug'])).toBe(
      'unexpected argument "debug"; kernel takes one ACTION and one PRESET',
    );
    expect(mistake(['boot', 'a', 'b'])).toBe('unexpected argument "b"; boot takes one PROFILE');
  });

  it('refuses a bad --jobs, and build options after list, before doing anything', async () => {
    await expect(kernelCommand(args(['kernel', 'build', '--jobs', '0']))).rejects.toThrow(
      new UsageError('--jobs takes a whole number from 1 to 9999, not "0"'),
    );
    await expect(kernelCommand(args(['kernel', 'list', '--jobs', '2', '--source', 'd']))).rejects.toThrow(
      new UsageError('--source, --jobs: for kernel build, not kernel list'),
    );
  });

  it('has help: its verb and preset, every option, and examples', () => {
    const h = commandHelp(findCommand('kernel')!);
    expect(h).toMatch(/^usage: pmem-lab kernel ACTION \[PRESET\] \[options\]\n/);
    expect(h).toContain('\nACTION: build or list\n');
    expect(h).toMatch(/\nPRESET: a fragment in kernel-presets\/: base \(the default\), hmm, debug/);
    for (const o of ['--source DIR', '--fragment FILE', '--jobs N', '--json']) expect(h).toContain(`  ${o}`);
    // the prose wraps where the data folder's path (in it) ends, so it is read with its line breaks as spaces
    expect(h.replace(/\s+/g, ' ')).toContain('kernel: { preset: PRESET }');
    expect(h).toContain('  pmem-lab kernel build hmm\n');
  });

  it('prints progress a line a stage; the compile rewritten in place on a terminal, else every 10%', () => {
    const run = (isTTY: boolean) => {
      let out = '';
      const print = kernelProgressPrinter({ isTTY, write: (s: string) => ((out += s), true) });
      print({ stage: 'config', detail: 'make allnoconfig' });
      for (const percent of [0, 4, 9, 10, 15, 21])
        print({ stage: 'compile', percent, detail: `${percent * 10}/~1000 objects` });
      print({ stage: 'done', detail: 'hmm 6.1.192 in 9m41s' });
      return out;
    };
    expect(run(false)).toBe(
      'kernel: config: make allnoconfig\n' +
        'kernel: compile: 0%: 0/~1000 objects\n' +
        'kernel: compile: 10%: 100/~1000 objects\n' +
        'kernel: compile: 21%: 210/~1000 objects\n' +
        'kernel: done: hmm 6.1.192 in 9m41s\n',
    );
    expect(run(true)).toBe(
      'kernel: config: make allnoconfig\n' +
        '\r\x1b[Kkernel: compile: 0%: 0/~1000 objects\r\x1b[Kkernel: compile: 4%: 40/~1000 objects' +
        '\r\x1b[Kkernel: compile: 9%: 90/~1000 objects\r\x1b[Kkernel: compile: 10%: 100/~1000 objects' +
        '\r\x1b[Kkernel: compile: 15%: 150/~1000 objects\r\x1b[Kkernel: compile: 21%: 210/~1000 objects\n' +
        'kernel: done: hmm 6.1.192 in 9m41s\n',
    );
  });
});
