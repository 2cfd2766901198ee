// What a fuzz run adds up to (README "pmem-lab fuzz"): the --json object and
// the text summary, both from the same numbers.
import type { FuzzResult } from './campaign';

export interface FuzzSummary {
  seed: number;
  scenarios: number;
  steps: number;
  agreeing: number;
  /** steps after the model went out of sync: not compared, and not counted as agreeing */
  uncompared: number;
  /** agreeing / steps (1 when no step ran) */
  agreeRatio: number;
  /** divergences per class: a dimension of the comparison, or out-of-sync */
  byClass: Record<string, number>;
  /** scenarios whose guest failed (did not boot, a step timed out) */
  errors: number;
  wall_ms: number;
}

export function summarizeFuzz(seed: number, r: FuzzResult, wall_ms: number): FuzzSummary {
  const sum = (k: 'steps' | 'agreeing' | 'uncompared') => r.scenarios.reduce((s, x) => s + x[k], 0);
  const byClass: Record<string, number> = {};
  for (const d of r.divergences) for (const c of d.classes) byClass[c] = (byClass[c] ?? 0) + 1;
  const steps = sum('steps');
  return {
    seed,
    scenarios: r.scenarios.length,
    steps,
    agreeing: sum('agreeing'),
    uncompared: sum('uncompared'),
    agreeRatio: steps ? sum('agreeing') / steps : 1,
    byClass,
    errors: r.scenarios.filter((s) => s.error).length,
    wall_ms,
  };
}

export function formatFuzz(s: FuzzSummary, r: FuzzResult): string {
  const pct = (s.agreeRatio * 100).toFixed(1);
  const out = [
    `fuzz seed ${s.seed}: ${s.scenarios} scenarios, ${s.steps} steps, ${s.agreeing} agree (${pct}%)` +
      `${s.uncompared ? `, ${s.uncompared} not compared (model out of sync)` : ''}; ` +
      `${(s.wall_ms / 1000).toFixed(1)} s`,
  ];
  const classes = Object.entries(s.byClass).map(([c, n]) => `${c} ${n}`);
  out.push(classes.length ? `divergences by dimension: ${classes.join(', ')}` : 'no divergence');
  for (const d of r.divergences) {
    const where = d.n === 0 ? 'boot' : `step ${d.n}`;
    out.push(`  ${d.scenario} ${where} [${d.classes.join(', ')}] (${d.kind})${d.step ? `: ${d.step}` : ''}`);
    if (d.reason) out.push(`      model out of sync: ${d.reason}`);
    const m = d.minimized;
    const how = m
      ? ` (minimized: ${m.steps} of ${m.fromSteps} steps, ${m.kept} of ${m.trials} guest runs kept)`
      : d.sameAs
        ? ` (same signature as ${d.sameAs})`
        : '';
    out.push(`      reproduce: pmem-lab run ${d.file}${how}`);
  }
  for (const sc of r.scenarios.filter((x) => x.error))
    out.push(`  ${sc.name}: guest error: ${sc.error}`, `      reproduce: pmem-lab run ${sc.errorFile}`);
  return out.join('\n');
}
