// What the explain tool says: the rule and kernel source behind a model /proc/iomem line (the explanations the
// ledger puts in every entry's view, which the app shows on hover and the report beside each line), or behind a
// step's answer: the rules that decided it, a refusal's among them. Pure.
import type { Explanation, TimelineEntry } from '../../src-shared/api/contract';
import { parseIomemLine } from '../../src-shared/snapshot/iomem';
import type { IomemLine } from '../../src-shared/snapshot/types';

export interface LineExplanation {
  query: string;
  found: boolean;
  explanation?: Explanation;
  /** when not found: the model's lines over the same range (or of that name), each with its rule */
  candidates: Explanation[];
}

const parsed = (text: string): IomemLine | undefined => {
  const l = parseIomemLine(text.trimEnd());
  return typeof l === 'string' ? undefined : l;
};

/**
 * A line as the client quotes it: the line itself (indent optional), or a resource's name. A line the model does
 * not print gets the model's lines over its range instead, so a guest-only line still finds its neighbours' rules.
 */
export function explainLine(explanations: readonly Explanation[], query: string): LineExplanation {
  const exact = explanations.find((x) => x.text === query.trimEnd());
  if (exact) return { query, found: true, explanation: exact, candidates: [] };
  const q = parsed(query.trim());
  const lines = explanations.map((x) => ({ x, l: parsed(x.text) }));
  if (q) {
    const same = lines.find(({ l }) => l && l.start === q.start && l.end === q.end && l.name === q.name);
    if (same) return { query, found: true, explanation: same.x, candidates: [] };
    const over = lines.filter(({ l }) => l && l.start <= q.end && q.start <= l.end).map(({ x }) => x);
    return { query, found: false, candidates: over };
  }
  const named = lines.filter(({ l }) => l?.name === query.trim()).map(({ x }) => x);
  return named.length === 1
    ? { query, found: true, explanation: named[0]!, candidates: [] }
    : { query, found: false, candidates: named };
}

export interface AnswerExplanation {
  realExitCode?: number;
  modelExitCode?: number;
  modelOutput?: string;
  /** the rules that decided the step in the model (a refusal's reason among them) */
  rules: { rule: string; source: string }[];
  outOfSync?: string;
}

/** Why the model answered a step as it did. */
export function explainAnswer(e: TimelineEntry): AnswerExplanation {
  const m = e.model;
  return {
    ...(e.real?.exitCode !== undefined ? { realExitCode: e.real.exitCode } : {}),
    ...(m?.exitCode !== undefined ? { modelExitCode: m.exitCode } : {}),
    ...(m?.output !== undefined ? { modelOutput: m.output } : {}),
    rules: m?.explanations ?? [],
    ...(m?.outOfSync ? { outOfSync: m.outOfSync } : {}),
  };
}

/** The explanation as the tool's text: the line with its rule, or the model's lines there; the answer's rules. */
export function explainText(o: { n: number; line?: LineExplanation; answer: AnswerExplanation }): string {
  const out: string[] = [];
  if (o.line?.explanation)
    out.push(`${o.line.explanation.text}  # ${o.line.explanation.rule} (${o.line.explanation.source})`);
  else if (o.line)
    out.push(
      `the model prints no such line at entry ${o.n}` +
        (o.line.candidates.length
          ? `; its lines there:\n${o.line.candidates.map((c) => `  ${c.text}  # ${c.rule}`).join('\n')}`
          : ''),
    );
  const a = o.answer;
  if (a.outOfSync) out.push(`model out of sync: ${a.outOfSync}`);
  else if (a.modelExitCode !== undefined)
    out.push(
      `model exit ${a.modelExitCode}${a.realExitCode !== undefined ? ` (guest ${a.realExitCode})` : ''}` +
        (a.rules.length ? `: ${a.rules.map((r) => `${r.rule} (${r.source})`).join('; ')}` : ''),
    );
  return out.join('\n') || `entry ${o.n}: nothing to explain`;
}
