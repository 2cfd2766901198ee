// Timeline entries as the MCP tools give them: what each side answered, the fidelity by dimension and the rows
// that differ, plus a line of text for the client to show. Projections only: every fact comes from the entry the
// ledger made (src-shared/ledger), as the app's views and the HTML report read it.
import type { z } from 'zod';
import type { TimelineEntry } from '../../src-shared/api/contract';
import { entryRows } from '../../src-shared/ledger';
import { describeStep } from '../../src-shared/scenario/schema';
import { diffLines, fidelityLine } from '../../src-shared/report/text';
import type { EntrySummarySchema } from './schemas';

export type EntrySummary = z.output<typeof EntrySummarySchema>;

/** Why an entry was not compared, in the words the app and the report use. */
function notCompared(e: TimelineEntry): string | undefined {
  if (e.comparison) return undefined;
  if (e.real?.overlapped) return `overlapped, not compared: ${e.real.overlapped}`;
  if (e.real?.error) return `no snapshot of the guest: ${e.real.error}`;
  return entryRows(e).note ?? 'not compared';
}

export function entrySummary(session: string, e: TimelineEntry): EntrySummary {
  const c = e.comparison;
  const note = notCompared(e);
  const { real, model } = e;
  return {
    session,
    n: e.n,
    source: e.source,
    step: e.step,
    ...(e.sent !== undefined ? { sent: e.sent } : {}),
    ...(real
      ? {
          real: {
            ...(real.exitCode !== undefined ? { exitCode: real.exitCode } : {}),
            ...(real.output !== undefined ? { output: real.output } : {}),
            ...(real.error !== undefined ? { error: real.error } : {}),
            ...(real.overlapped !== undefined ? { overlapped: real.overlapped } : {}),
          },
        }
      : {}),
    ...(model
      ? {
          model: {
            ...(model.exitCode !== undefined ? { exitCode: model.exitCode } : {}),
            ...(model.output !== undefined ? { output: model.output } : {}),
            ...(model.outOfSync !== undefined ? { outOfSync: model.outOfSync } : {}),
            ...(model.modelOnly ? { modelOnly: true } : {}),
          },
        }
      : {}),
    agree: !!c && c.fidelity.matched === c.fidelity.total,
    ...(c ? { fidelity: c.fidelity } : {}),
    differences: c ? diffLines(c) : [],
    ...(note ? { note } : {}),
  };
}

/** "[2] device_add ...: agree, fidelity 40/40 (iomem 31/31, ...)", then a line per difference (at most `max`). */
export function entryText(s: EntrySummary, max = 12): string {
  const what = s.step ? describeStep(s.step) : s.source === 'boot' ? 'after boot' : 'snapshot';
  const exit = s.real?.exitCode !== undefined ? `, exit ${s.real.exitCode}` : '';
  const verdict = s.fidelity
    ? `${s.agree ? 'agree' : 'DIFFER'}, fidelity ${fidelityLine(s.fidelity)}`
    : (s.note ?? 'not compared');
  const rows = s.differences.slice(0, max).map((d) => {
    const mark = d.side === 'real' ? '-' : '+';
    return `  [${d.dimension}] ${mark} ${d.side} ${d.text}${d.counted ? '' : '  (not counted)'}`;
  });
  const more = s.differences.length > max ? [`  ... ${s.differences.length - max} more in structuredContent`] : [];
  return [`[${s.n}] ${what}${exit}: ${verdict}`, ...rows, ...more].join('\n');
}

/** Entry `n` of a timeline, or its newest; an error naming the entries there are otherwise. */
export function pickEntry(timeline: readonly TimelineEntry[], n: number | undefined): TimelineEntry {
  const e = n === undefined ? timeline.at(-1) : timeline.find((x) => x.n === n);
  if (e) return e;
  throw new EntryError(
    timeline.length
      ? `entry: no entry ${n}; this session's timeline has entries 0 to ${timeline.length - 1}`
      : 'entry: the timeline is empty; wait for the boot (status with wait: true)',
  );
}

export class EntryError extends Error {
  readonly field = 'entry';
}
