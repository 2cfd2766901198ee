// The command table drives parsing and help: every mistake is a usage error
// naming the flag or argument, and every command explains itself.
import { describe, expect, it } from 'vitest';
import { COMMANDS, findCommand } from '../../../src-main/cli/commands';
import { commandHelp, usage } from '../../../src-main/cli/help';
import { parseCommandLine } from '../../../src-main/cli/parse';
import { UsageError } from '../../../src-main/cli/spec';

const usageError = (argv: string[]): UsageError => {
  try {
    parseCommandLine(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};
const mistake = (argv: string[]): string => usageError(argv).message;
const ran = (argv: string[]) => {
  const r = parseCommandLine(argv);
  if (r.kind !== 'run') throw new Error(`expected a command, got ${r.kind}`);
  return {
    name: r.command.name,
    positional: r.args.positional,
    flags: [...r.args.flags].sort(),
    options: Object.fromEntries(r.args.options),
  };
};
/** the invocation's kind, and the command's name after "help" */
const kind = (argv: string[]): string => {
  const r = parseCommandLine(argv);
  return r.kind === 'help' ? `help ${r.command.name}` : r.kind;
};

describe('pmem-lab command line', () => {
  it('keeps every existing flag of every command', () => {
    expect(
      ran(['run', 'kmem-labels', '--json', '--report', 'r.html', '--kernel', 'k', '--modules', 'm', '--accel', 'tcg']),
    ).toEqual({
      name: 'run',
      positional: 'kmem-labels',
      flags: ['json'],
      options: { report: 'r.html', kernel: 'k', modules: 'm', accel: 'tcg' },
    });
    expect(ran(['boot', 'p', '--json', '--accel=kvm', '--kernel=k', '--modules', 'm'])).toMatchObject({
      positional: 'p',
      flags: ['json'],
      options: { accel: 'kvm', kernel: 'k', modules: 'm' },
    });
    expect(ran(['shell'])).toMatchObject({ name: 'shell', positional: undefined });
    expect(ran(['shell', 'dimm-hotplug', '--accel', 'auto'])).toMatchObject({
      positional: 'dimm-hotplug',
      options: { accel: 'auto' },
    });
    expect(ran(['model', 's', '--explain', '--kernel-rules', '5.0'])).toMatchObject({
      flags: ['explain'],
      options: { 'kernel-rules': '5.0' },
    });
    expect(ran(['model', 's', '--json'])).toMatchObject({ flags: ['json'] });
    expect(ran(['serve', '--port', '8080'])).toMatchObject({ options: { port: '8080' } });
    expect(ran(['start', '--port=0'])).toMatchObject({ options: { port: '0' } });
    expect(ran(['doctor', '--json', '--reprobe'])).toMatchObject({ flags: ['json', 'reprobe'] });
    expect(ran(['completion', 'fish'])).toMatchObject({ positional: 'fish' });
    expect(ran(['help', 'run'])).toMatchObject({ name: 'help', positional: 'run' });
  });

  it('takes --junit on run and fuzz, and the matrix and report merge command lines', () => {
    expect(ran(['run', 'k', '--json', '--junit', 'k.xml'])).toMatchObject({
      flags: ['json'],
      options: { junit: 'k.xml' },
    });
    expect(ran(['fuzz', '--junit=f.xml'])).toMatchObject({ options: { junit: 'f.xml' } });
    expect(ran(['matrix', 'm.yaml', '--cell', 'a.b', '--out', 'o', '--junit', 'j.xml', '--cold'])).toEqual({
      name: 'matrix',
      positional: 'm.yaml',
      flags: ['cold'],
      options: { cell: 'a.b', out: 'o', junit: 'j.xml' },
    });
    expect(ran(['matrix', 'm.yaml', '--list-cells', '--json'])).toMatchObject({ flags: ['json', 'list-cells'] });
    const merge = parseCommandLine(['report', 'merge', 'a.json', '--out', 'r', 'b.json', 'c.json']);
    expect(merge).toMatchObject({ kind: 'run', args: { positional: 'merge', second: 'a.json' } });
    if (merge.kind === 'run') expect(merge.args.rest).toEqual(['a.json', 'b.json', 'c.json']);
    // a command without a variadic argument has none
    const run = parseCommandLine(['run', 'k']);
    if (run.kind === 'run') expect(run.args.rest).toEqual([]);
    expect(mistake(['report', 'merge'])).toMatch(/^report needs a FILE\.json: /);
    expect(mistake(['report', 'join', 'a.json'])).toBe('report takes merge as ACTION, not "join"');
    expect(mistake(['matrix'])).toMatch(/^matrix needs a FILE\.yaml: /);
    expect(mistake(['matrix', 'm.yaml', 'n.yaml'])).toBe('unexpected argument "n.yaml"; matrix takes one FILE.yaml');
    expect(commandHelp(findCommand('report')!)).toMatch(/^usage: pmem-lab report ACTION FILE\.json\.\.\. \[options\]/);
  });

  it('refuses stray arguments and unknown flags, naming them and what the command takes', () => {
    expect(mistake(['model', 'kmem-labels', 'extra', '--port', '5'])).toBe(
      'unknown option --port; model takes --json, --explain, --kernel-rules',
    );
    expect(mistake(['model', 'kmem-labels', 'extra'])).toBe('unexpected argument "extra"; model takes one SCENARIO');
    expect(mistake(['doctor', 'now'])).toBe('unexpected argument "now"; doctor takes no arguments');
    expect(mistake(['run'])).toMatch(/^run needs a SCENARIO: a name in scenarios\//);
    expect(mistake(['run', 'x', '--accel'])).toBe('--accel needs a value: --accel auto|kvm|tcg');
    expect(mistake(['serve', '--port', '--json'])).toBe('--port needs a value: --port N');
    expect(mistake(['run', 'x', '--accel', 'fast'])).toBe('--accel takes auto, kvm or tcg, not "fast"');
    expect(mistake(['model', 'x', '--kernel-rules', '4.19'])).toBe(
      '--kernel-rules takes 6.1, 5.3, 5.1 or 5.0, not "4.19"',
    );
    expect(mistake(['model', 'x', '--json=yes'])).toBe('--json takes no value (got "yes")');
    expect(mistake(['completion', 'tcsh'])).toBe('completion takes bash, zsh or fish as SHELL, not "tcsh"');
    expect(mistake(['help', 'nope'])).toMatch(/^help takes doctor, shell, .* as COMMAND, not "nope"/);
    expect(mistake(['frob'])).toBe(
      'unknown command "frob"; commands: doctor, shell, boot, run, model, fuzz, matrix, report, checkpoints, kernel, ' +
        'serve, start, mcp, completion, help',
    );
    expect(mistake(['--frob'])).toMatch(/^unknown option --frob: options go after the command/);
  });

  it('says which command a mistake belongs to, so the hint can name its help', () => {
    expect(usageError(['run', 'x', '--bogus']).command).toBe('run');
    expect(usageError(['frob']).command).toBeUndefined();
  });

  it('answers -h and --help for every command, before any other mistake, and --version/-V', () => {
    for (const c of COMMANDS) {
      expect(kind([c.name, '-h'])).toBe(`help ${c.name}`);
      expect(kind([c.name, '--help'])).toBe(`help ${c.name}`);
    }
    expect(kind(['run', '--bogus', '-h'])).toBe('help run');
    expect(ran(['run', '--', '-h'])).toMatchObject({ positional: '-h' }); // after "--" it is a scenario named -h
    expect(kind(['--version'])).toBe('version');
    expect(kind(['-V'])).toBe('version');
    expect(parseCommandLine([])).toEqual({ kind: 'usage', status: 2 });
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'usage', status: 0 });
  });

  it("each command's help shows its usage, every option with its values, exit codes and examples", () => {
    for (const c of COMMANDS) {
      const h = commandHelp(c);
      expect(h).toMatch(new RegExp(`^usage: pmem-lab ${c.name}`));
      for (const o of c.options) expect(h, `${c.name} --${o.name}`).toContain(`--${o.name}`);
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      for (const e of c.examples)
        expect(e.startsWith(`pmem-lab ${c.name}`) || e.startsWith('source <(pmem-lab'), e).toBe(true);
    }
    expect(commandHelp(findCommand('run')!)).toContain('--accel auto|kvm|tcg');
    expect(commandHelp(findCommand('model')!)).toMatch(
      /exit codes:\n {2}0 {2}the model followed every step\n {2}1 {2}a step is outside the action vocabulary/,
    );
    expect(commandHelp(findCommand('doctor')!)).toMatch(/exit codes:\n {2}0 {2}nothing missing \(warnings allowed/);
    expect(commandHelp(findCommand('shell')!)).toContain('default nvdimm-1g-labels');
  });

  it('lists the visible commands in the usage, never the completion helper', () => {
    const u = usage();
    for (const c of COMMANDS.filter((x) => !x.hidden)) expect(u).toContain(`  ${c.name} `);
    expect(u).not.toContain('__complete');
    expect(u).toContain('-V, --version');
  });
});
