// Help text, generated from the command table.
import { COMMANDS, findCommand } from './commands';
import { HELP_OPTION, type CommandArgs, type CommandSpec, type OptionSpec } from './spec';

const visible = () => COMMANDS.filter((c) => !c.hidden);

/** `pmem-lab`, `pmem-lab --help`, `pmem-lab help`. */
export function usage(): string {
  const width = Math.max(...visible().map((c) => c.name.length));
  return [
    'usage: pmem-lab COMMAND [options]',
    '',
    'commands:',
    ...visible().map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help     help (also after a command: pmem-lab run --help)',
    '  -V, --version  print the version',
    '',
    'Run "pmem-lab help COMMAND" for its options, exit codes and examples.',
  ].join('\n');
}

const argumentsOf = (c: CommandSpec) => [c.positional, c.second].filter((p) => p !== undefined);

const synopsis = (c: CommandSpec): string => {
  const p = argumentsOf(c).map((a) => {
    const name = a.variadic ? `${a.name}...` : a.name;
    return a.required ? ` ${name}` : ` [${name}]`;
  });
  return `pmem-lab ${c.name}${p.join('')}${c.options.length ? ' [options]' : ''}`;
};

/** Prose at 80 columns; option and example lines stay whole so they can be copied. */
export const wrap = (text: string, width = 80): string =>
  text.replace(new RegExp(`(.{1,${width}})(?: +|$)`, 'g'), '$1\n').trimEnd();

const optionLabel = (o: OptionSpec): string =>
  `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.type === 'string' ? ` ${o.choices?.join('|') ?? o.value}` : ''}`;

export function commandHelp(c: CommandSpec): string {
  const options = [...c.options, HELP_OPTION];
  const width = Math.max(...options.map((o) => optionLabel(o).length));
  const out = [
    `usage: ${synopsis(c)}`,
    '',
    wrap(c.description ?? `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`),
  ];
  for (const a of argumentsOf(c)) out.push('', wrap(`${a.name}: ${a.description}`));
  out.push('', 'options:', ...options.map((o) => `  ${optionLabel(o).padEnd(width)}  ${o.description}`));
  if (c.exitCodes) out.push('', 'exit codes:', ...c.exitCodes.map((e) => `  ${e}`));
  out.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  return out.join('\n');
}

/** pmem-lab help [COMMAND] (the parser has checked COMMAND against the table). */
export function helpCommand(args: CommandArgs): Promise<number> {
  console.log(args.positional ? commandHelp(findCommand(args.positional)!) : usage());
  return Promise.resolve(0);
}
