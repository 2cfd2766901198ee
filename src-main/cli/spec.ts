// The shape of the command table (commands.ts): one description per command
// that drives parsing (parse.ts), help (help.ts) and completion scripts.

export interface OptionSpec {
  /** the long name, without "--" */
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** how help shows the value: PATH, N, FILE.html */
  value?: string;
  choices?: readonly string[];
  /** what the shell offers for a string value that has no choices */
  complete?: 'file' | 'dir';
  description: string;
}

export interface PositionalSpec {
  /** how help shows it: PROFILE, SCENARIO */
  name: string;
  required: boolean;
  description: string;
  choices?: readonly string[];
  /** names the shell offers, asked of `pmem-lab __complete KIND` when TAB is pressed; or files */
  complete?: 'profiles' | 'scenarios' | 'presets' | 'file';
  /** a `second` that takes every argument after the positional (report merge FILE.json...) */
  variadic?: boolean;
}

/** What a command receives once its arguments are checked against its spec. */
export interface CommandArgs {
  positional: string | undefined;
  /** the argument after it, for a command with a `second` (kernel build PRESET) */
  second: string | undefined;
  /** every argument after the positional, for a command whose `second` is variadic; else empty */
  rest: readonly string[];
  flags: ReadonlySet<string>;
  options: ReadonlyMap<string, string>;
}

export type CommandHandler = (args: CommandArgs) => Promise<number>;

export interface CommandSpec {
  name: string;
  summary: string;
  /** a paragraph for `pmem-lab help COMMAND` */
  description?: string;
  positional?: PositionalSpec;
  /** an argument after the positional, e.g. the PRESET of "kernel build PRESET" (the positional is its verb) */
  second?: PositionalSpec;
  options: readonly OptionSpec[];
  /** one line per exit status, e.g. "0  model and guest agree at every step" */
  exitCodes?: readonly string[];
  examples: readonly string[];
  /** internal helpers (left out of help) */
  hidden?: boolean;
  /** imported only when the command runs, so help and completion start fast */
  load: () => Promise<CommandHandler>;
}

/** A mistake on the command line: exit 2, with a hint naming the help to read. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'show this help' };
