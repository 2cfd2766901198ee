// JUnit XML, the result format CI systems read (Jenkins, GitLab, GitHub's test
// reporters): testsuites > testsuite > properties and testcases, a testcase
// holding at most one failure, error or skipped, and its system-out. The
// writer is pure: every value, times included, comes from the caller.

export interface JUnitProperty {
  name: string;
  value: string;
}

export type JUnitOutcome =
  /** the case ran and its check failed (model and guest differ) */
  | { kind: 'failure'; type: string; message: string; text: string }
  /** the case could not reach a verdict (the guest failed) */
  | { kind: 'error'; type: string; message: string; text: string }
  /** the case did not run, or was not checked */
  | { kind: 'skipped'; message: string };

export interface JUnitCase {
  name: string;
  classname: string;
  /** seconds */
  time?: number;
  properties?: readonly JUnitProperty[];
  /** absent: passed */
  outcome?: JUnitOutcome;
  systemOut?: string;
}

export interface JUnitSuite {
  name: string;
  /** when the suite started, `YYYY-MM-DDTHH:MM:SS` (UTC, without a zone, as Ant writes it) */
  timestamp?: string;
  properties?: readonly JUnitProperty[];
  cases: readonly JUnitCase[];
}

/**
 * XML 1.0 allows these characters only (its Char production), not even as
 * character references: the rest (most C0 controls, lone surrogates, U+FFFE)
 * are written as visible `\xNN` / `\u{N}` text, as /dev/kmsg escapes them.
 */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const visible = (s: string): string =>
  s.replace(NOT_XML, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });

/** Text content: `>` too, so `]]>` cannot appear; a CR as a reference, or parsers fold CRLF into LF. */
export const xmlText = (s: string): string =>
  visible(s).replace(/[&<>\r]/g, (c) => (c === '\r' ? '&#13;' : c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/** Attribute values: quotes, and tab, LF and CR as references, which attribute normalization would turn to spaces. */
export const xmlAttr = (s: string): string => xmlText(s).replace(/["'\t\n]/g, (c) => `&#${c.charCodeAt(0)};`);

const attrs = (pairs: [string, string | number | undefined][]): string =>
  pairs
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');

const seconds = (s: number | undefined) => (s === undefined ? undefined : s.toFixed(3));

function properties(list: readonly JUnitProperty[] | undefined, indent: string): string[] {
  if (!list?.length) return [];
  return [
    `${indent}<properties>`,
    ...list.map(
      (p) =>
        `${indent}  <property${attrs([
          ['name', p.name],
          ['value', p.value],
        ])}/>`,
    ),
    `${indent}</properties>`,
  ];
}

function outcome(o: JUnitOutcome): string {
  if (o.kind === 'skipped') return `      <skipped${attrs([['message', o.message]])}/>`;
  return `      <${o.kind}${attrs([
    ['message', o.message],
    ['type', o.type],
  ])}>${xmlText(o.text)}</${o.kind}>`;
}

function testcase(c: JUnitCase): string[] {
  const open = `    <testcase${attrs([
    ['name', c.name],
    ['classname', c.classname],
    ['time', seconds(c.time)],
  ])}`;
  const body = [
    ...properties(c.properties, '      '),
    ...(c.outcome ? [outcome(c.outcome)] : []),
    ...(c.systemOut ? [`      <system-out>${xmlText(c.systemOut)}</system-out>`] : []),
  ];
  return body.length ? [`${open}>`, ...body, '    </testcase>'] : [`${open}/>`];
}

const count = (s: JUnitSuite, kind: JUnitOutcome['kind']) => s.cases.filter((c) => c.outcome?.kind === kind).length;
const timeOf = (s: JUnitSuite) => s.cases.reduce((t, c) => t + (c.time ?? 0), 0);

/** One document: `<testsuites name>` holding each suite with its counts and time summed from its cases. */
export function renderJUnit(name: string, suites: readonly JUnitSuite[]): string {
  const total = (kind: JUnitOutcome['kind']) => suites.reduce((n, s) => n + count(s, kind), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs([
      ['name', name],
      ['tests', suites.reduce((n, s) => n + s.cases.length, 0)],
      ['failures', total('failure')],
      ['errors', total('error')],
      ['skipped', total('skipped')],
      ['time', seconds(suites.reduce((t, s) => t + timeOf(s), 0))],
    ])}>`,
  ];
  for (const [id, s] of suites.entries()) {
    lines.push(
      `  <testsuite${attrs([
        ['name', s.name],
        ['id', id],
        ['tests', s.cases.length],
        ['failures', count(s, 'failure')],
        ['errors', count(s, 'error')],
        ['skipped', count(s, 'skipped')],
        ['time', seconds(timeOf(s))],
        ['timestamp', s.timestamp],
      ])}>`,
      ...properties(s.properties, '    '),
      ...s.cases.flatMap(testcase),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
