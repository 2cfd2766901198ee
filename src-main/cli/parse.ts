// argv -> what to do, checked against the command table with util.parseArgs
// (strict). Every mistake is a UsageError naming the flag or argument.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, findCommand } from './commands';
import {
  HELP_OPTION,
  UsageError,
  type CommandArgs,
  type CommandSpec,
  type OptionSpec,
  type PositionalSpec,
} from './spec';

export type Invocation =
  /** status 2: no command was given */
  | { kind: 'usage'; status: 0 | 2 }
  | { kind: 'version' }
  | { kind: 'help'; command: CommandSpec }
  | { kind: 'run'; command: CommandSpec; args: CommandArgs };

export function parseCommandLine(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined) return { kind: 'usage', status: 2 };
  if (first === '-h' || first === '--help') return { kind: 'usage', status: 0 };
  if (first === '-V' || first === '--version') return { kind: 'version' };
  if (first.startsWith('-'))
    throw new UsageError(`unknown option ${first}: options go after the command (pmem-lab COMMAND [options])`);
  const command = findCommand(first);
  if (!command) throw new UsageError(`unknown command "${first}"; commands: ${visibleNames().join(', ')}`);
  if (asksForHelp(command, rest)) return { kind: 'help', command };
  return { kind: 'run', command, args: parseCommandArgs(command, rest) };
}

const visibleNames = () => COMMANDS.filter((c) => !c.hidden).map((c) => c.name);

const optionsOf = (command: CommandSpec): readonly OptionSpec[] => [...command.options, HELP_OPTION];

function nodeOptions(command: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    optionsOf(command).map((o) => [o.name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  );
}

/** The arguments as util.parseArgs reads them without judging them: for help and for diagnosing a mistake. */
function tokensOf(command: CommandSpec, args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: nodeOptions(command),
    allowPositionals: true,
    strict: false,
    tokens: true,
  }).tokens;
}

/** -h or --help anywhere before "--" wins over any other mistake, as in git and npm. */
function asksForHelp(command: CommandSpec, args: readonly string[]): boolean {
  return tokensOf(command, args).some((t) => t.kind === 'option' && t.name === 'help');
}

function parseCommandArgs(command: CommandSpec, args: readonly string[]): CommandArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: nodeOptions(command), allowPositionals: true, strict: true });
  } catch {
    throw diagnose(command, args);
  }
  const flags = new Set<string>();
  const options = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'boolean') flags.add(name);
    else if (typeof value === 'string')
      options.set(
        name,
        checkChoice(
          command,
          optionsOf(command).find((o) => o.name === name)!,
          value,
        ),
      );
  }
  return { ...checkPositionals(command, parsed.positionals), flags, options };
}

/** util.parseArgs says what went wrong in its own words; find the token and say it in the command's. */
function diagnose(command: CommandSpec, args: readonly string[]): UsageError {
  const tokens = tokensOf(command, args);
  const known = optionsOf(command);
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = known.find((o) => o.name === t.name);
    if (!spec) {
      const takes = command.options.length
        ? `${command.name} takes ${command.options.map((o) => `--${o.name}`).join(', ')}`
        : `${command.name} takes no options`;
      return new UsageError(`unknown option ${t.rawName}; ${takes}`, command.name);
    }
    if (spec.type === 'boolean' && t.value !== undefined)
      return new UsageError(`--${spec.name} takes no value (got "${t.value}")`, command.name);
    if (spec.type === 'string' && (t.value === undefined || (!t.inlineValue && t.value.startsWith('-')))) {
      return new UsageError(
        `--${spec.name} needs a value: --${spec.name} ${spec.choices?.join('|') ?? spec.value ?? 'VALUE'}`,
        command.name,
      );
    }
  }
  return new UsageError(`cannot read the arguments ${JSON.stringify(args)}`, command.name);
}

const oneOf = (choices: readonly string[]) =>
  choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : choices.join('');

function checkChoice(command: CommandSpec, spec: OptionSpec, value: string): string {
  if (spec.choices && !spec.choices.includes(value))
    throw new UsageError(`--${spec.name} takes ${oneOf(spec.choices)}, not "${value}"`, command.name);
  return value;
}

function checkPositionals(
  command: CommandSpec,
  positionals: readonly string[],
): Pick<CommandArgs, 'positional' | 'second' | 'rest'> {
  const specs = [command.positional, command.second].filter((p) => p !== undefined);
  const variadic = command.second?.variadic === true;
  const stray = variadic ? [] : positionals.slice(specs.length);
  if (stray.length) {
    const takes = specs.length
      ? `${command.name} takes ${specs.map((p) => `one ${p.name}`).join(' and ')}`
      : `${command.name} takes no arguments`;
    throw new UsageError(
      `unexpected argument${stray.length > 1 ? 's' : ''} ${stray.map((s) => `"${s}"`).join(' ')}; ${takes}`,
      command.name,
    );
  }
  const [positional, second] = specs.map((p, i) => checkPositional(command, p, positionals[i]));
  return { positional, second, rest: variadic ? positionals.slice(1) : [] };
}

function checkPositional(command: CommandSpec, p: PositionalSpec, value: string | undefined): string | undefined {
  if (value === undefined) {
    if (p.required)
      throw new UsageError(
        `${command.name} needs ${/^[AEIOU]/.test(p.name) ? 'an' : 'a'} ${p.name}: ${p.description}`,
        command.name,
      );
    return undefined;
  }
  if (p.choices && !p.choices.includes(value))
    throw new UsageError(`${command.name} takes ${oneOf(p.choices)} as ${p.name}, not "${value}"`, command.name);
  return value;
}
