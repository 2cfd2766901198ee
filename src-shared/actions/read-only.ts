// Read-only console lines (design.md "Read-only commands"): commands that only
// read what the kernel shows (files under /sys and /proc, the tools' list
// commands) leave the kernel's state as it was, so the model stays in sync.
//
// The parser is strict on purpose: a line is read-only only when we can be
// sure that it writes nothing and runs nothing else. So it takes one command
// or a pipeline of commands joined by `|`, each a program from READERS below
// with plain words as arguments, and refuses any line with a redirection
// (`>`, `>>`, `<`), a command list (`;`, `&&`, `||`, `&`), a substitution or
// expansion (`$`, backquotes), a subshell or group (`(`, `{`), or a newline:
// `cat x > /sys/...`, `ls; echo 1 > ...` or `cat $(...)` can change state.
// Programs that can write or run others (tee, sed, awk, find, xargs, env, sh)
// are not readers. A line it refuses is still run on the guest; it then goes
// through the rest of the vocabulary, and outside it leaves the model out of sync.
import { splitWords } from './options';
import type { Action } from './types';

/** Programs that only read, and the arguments that would make one of them change something. */
const READERS: Record<string, (args: string[]) => boolean> = {
  cat: () => true,
  ls: () => true,
  grep: () => true,
  egrep: () => true,
  fgrep: () => true,
  head: () => true,
  tail: () => true,
  wc: () => true,
  sort: (args) => !args.some((a) => a === '-o' || a.startsWith('--output')),
  uniq: (args) => args.filter((a) => !a.startsWith('-')).length <= 1,
  cut: () => true,
  tr: () => true,
  free: () => true,
  uname: () => true,
  readlink: () => true,
  realpath: () => true,
  stat: () => true,
  od: () => true,
  hexdump: () => true,
  lsmem: () => true,
  // dmesg -c/-C/-D/-E/-n clear the ring buffer or change the console level
  dmesg: (args) => !args.some((a) => /^-[^-]*[cCDEn]/.test(a) || /^--(clear|read-clear|console)/.test(a)),
  // the tools read only through their list commands
  ndctl: (args) => args[0] === 'list',
  daxctl: (args) => args[0] === 'list',
  cxl: (args) => args[0] === 'list',
};

/** A read-only line as its pipeline of commands, or undefined when it is not surely read-only. */
export function parseReadOnly(line: string): Extract<Action, { kind: 'read-only' }> | undefined {
  if (/[\n;&<>`$(){}\\]/.test(line)) return undefined;
  const commands: string[][] = [];
  for (const part of line.split('|')) {
    const words = splitWords(part);
    if (!words?.length) return undefined;
    const [program, ...args] = words;
    const reader = READERS[program!];
    if (!reader || !reader(args)) return undefined;
    commands.push(words);
  }
  return { kind: 'read-only', commands };
}
