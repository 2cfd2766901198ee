// Kconfig fragments: the lines `make allnoconfig KCONFIG_ALLCONFIG=FRAG` reads
// (scripts/kconfig/confdata.c conf_read_simple), and whether each one stuck in
// the .config kconfig wrote. A symbol whose dependencies are unmet falls away
// without an error, so every line is checked against the result.

/** One `CONFIG_X=value` or `# CONFIG_X is not set` line (value "n"), with where it was written. */
export interface Assignment {
  symbol: string;
  value: string;
  /** "hmm.config line 5", "--fragment my.config line 2" */
  origin: string;
}

const ASSIGN = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const UNSET = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/;

/** A line that is neither a Kconfig assignment, a comment nor blank: kconfig would only warn about it. */
export class FragmentLineError extends Error {
  constructor(
    readonly origin: string,
    readonly line: string,
  ) {
    super(`${origin}: "${line.slice(0, 80)}" is not a Kconfig line`);
  }
}

/** The assignments of one fragment, in order; `name` prefixes each origin. */
export function parseFragment(text: string, name: string): Assignment[] {
  const out: Assignment[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const origin = `${name} line ${i + 1}`;
    const set = ASSIGN.exec(line);
    const unset = UNSET.exec(line);
    if (set) out.push({ symbol: set[1]!, value: set[2]!, origin });
    else if (unset) out.push({ symbol: unset[1]!, value: 'n', origin });
    else if (line.trim() !== '' && !line.startsWith('#')) throw new FragmentLineError(origin, line);
  });
  return out;
}

/** The fragments one after the other, as kconfig reads them: a later line overrides an earlier one. */
export function mergeFragments(parts: readonly { name: string; text: string }[]): string {
  return parts.map((p) => `# ---- ${p.name}\n${p.text.endsWith('\n') ? p.text : `${p.text}\n`}`).join('');
}

/** What kconfig applies: the last assignment of each symbol (it warns "override: reassigning to symbol"). */
export function effective(assignments: readonly Assignment[]): Assignment[] {
  const last = new Map<string, Assignment>();
  for (const a of assignments) {
    last.delete(a.symbol); // in the order of the lines that count
    last.set(a.symbol, a);
  }
  return [...last.values()];
}

/** A .config's values by symbol: "n" for "is not set"; a symbol kconfig did not write at all is absent. */
export function readDotConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = ASSIGN.exec(line);
    const unset = UNSET.exec(line);
    if (set) values.set(set[1]!, set[2]!);
    else if (unset) values.set(unset[1]!, 'n');
  }
  return values;
}

/** What kconfig said about the fragment while reading it (conf_warning), by symbol without CONFIG_. */
export interface KconfigWarnings {
  unknown: Set<string>;
  invalid: Set<string>;
}

export function readKconfigWarnings(output: string): KconfigWarnings {
  const unknown = new Set([...output.matchAll(/warning: unknown symbol: (\w+)/g)].map((m) => m[1]!));
  const invalid = new Set([...output.matchAll(/warning: symbol value '.*' invalid for (\w+)/g)].map((m) => m[1]!));
  return { unknown, invalid };
}

export interface Unstuck {
  wanted: Assignment;
  /** what .config has instead: a value, "n" (is not set), or undefined (not written at all) */
  got: string | undefined;
  why: string;
}

const show = (symbol: string, value: string) => (value === 'n' ? `# ${symbol} is not set` : `${symbol}=${value}`);

/** Every effective assignment .config does not have as written, with the likely reason. */
export function unstuck(
  assignments: readonly Assignment[],
  dotConfig: ReadonlyMap<string, string>,
  warnings: KconfigWarnings = { unknown: new Set(), invalid: new Set() },
): Unstuck[] {
  const out: Unstuck[] = [];
  for (const wanted of effective(assignments)) {
    const got = dotConfig.get(wanted.symbol);
    if (wanted.value === 'n' ? got === undefined || got === 'n' : got === wanted.value) continue;
    const bare = wanted.symbol.slice('CONFIG_'.length);
    const has = got === undefined ? 'has no such line' : `has ${show(wanted.symbol, got)}`;
    const why = warnings.unknown.has(bare)
      ? 'no such symbol in this source tree (a typo, or a symbol of another kernel version)'
      : warnings.invalid.has(bare)
        ? `kconfig refused the value; .config ${has}`
        : wanted.value === 'n'
          ? `.config ${has} (something selects it)`
          : got === undefined || got === 'n'
            ? `.config ${has} (its dependencies are not met)`
            : `.config ${has} instead (something selects it, or a dependency limits it)`;
    out.push({ wanted, got, why });
  }
  return out;
}

/** One line per symbol: "CONFIG_X=m (hmm.config line 7) did not stick: .config has ...". */
export function describeUnstuck(list: readonly Unstuck[]): string {
  return list
    .map((u) => `  ${show(u.wanted.symbol, u.wanted.value)} (${u.wanted.origin}) did not stick: ${u.why}`)
    .join('\n');
}
