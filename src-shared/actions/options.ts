// Command-line options the way ndctl and daxctl (parse-options) accept them:
// -m devdax, -mdevdax, --mode devdax, --mode=devdax, and bundled flags (-fv).

export interface OptionSpec {
  /** long name -> short letter (or '' for none) */
  values: Record<string, string>;
  flags: Record<string, string>;
}

export type ParsedOptions =
  { values: Map<string, string>; flags: Set<string>; positional: string[] } | { error: string };

export function parseOptions(args: string[], spec: OptionSpec): ParsedOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const longOfShort = (c: string, table: Record<string, string>) => Object.keys(table).find((k) => table[k] === c);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (name in spec.values) {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) return { error: `option \`${name}' requires a value` };
        values.set(name, v);
      } else if (name in spec.flags && eq < 0) flags.add(name);
      else return { error: `unknown option \`${name}'` };
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const v = longOfShort(c, spec.values);
        if (v) {
          const rest = a.slice(j + 1);
          const val = rest || args[++i];
          if (val === undefined) return { error: `switch \`${c}' requires a value` };
          values.set(v, val);
          break;
        }
        const f = longOfShort(c, spec.flags);
        if (!f) return { error: `unknown switch \`${c}'` };
        flags.add(f);
      }
    } else positional.push(a);
  }
  return { values, flags, positional };
}

/** Shell-like splitting for the simple lines of the vocabulary (quotes, no expansions). */
export function splitWords(line: string): string[] | undefined {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let has = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) words.push(cur);
      cur = '';
      has = false;
    } else if ('|&;<`$()'.includes(ch)) return undefined;
    else cur += ch;
  }
  if (quote) return undefined;
  if (has || cur) words.push(cur);
  return words;
}
