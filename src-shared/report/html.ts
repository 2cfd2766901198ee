// A self-contained HTML report of a session or a `pmem-lab run`: every step
// with what was sent, what the guest and the model answered, the fidelity by
// dimension, the real and model /proc/iomem aligned line by line with the rule
// behind each model line, and the differing rows of every other dimension.
// Inline CSS, no scripts, no external resources.
import type { Explanation, TimelineEntry } from '../api/contract';
import { addFidelity, noFidelity, type Comparison } from '../compare';
import type { IomemDiffRow } from '../compare/fidelity';
import { entryRows } from '../ledger/rows';
import { describeStep } from '../scenario/schema';
import { diffLines, fidelityLine } from './text';

export interface ReportInput {
  title: string;
  profile: string;
  kernel?: string;
  qemu?: string;
  accel?: string;
  generatedAt: string;
  steps: TimelineEntry[];
  /** the guest failed after the last step shown (it did not boot, a step timed out, QEMU went away) */
  error?: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1f24;background:#fff}
h1{font-size:1.5em}h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font:12px/1.35 ui-monospace,monospace;width:100%}
td,th{padding:1px 6px;vertical-align:top;text-align:left;white-space:pre}
tr.real td.r{background:#ffe1e1}tr.model td.m{background:#dff3ff}tr.uncounted td{color:#777}
.why{color:#555;font-family:system-ui,sans-serif;white-space:normal}
.ok{color:#0a7a2f;font-weight:600}.bad{color:#b3261e;font-weight:600}
pre{background:#f5f5f5;padding:.5em;overflow:auto}`;

function fidelityText(e: TimelineEntry): string {
  if (!e.comparison)
    return e.real?.overlapped
      ? `<span class="bad">overlapped, not compared: ${esc(e.real.overlapped)}</span>`
      : e.model?.outOfSync
        ? `<span class="bad">model out of sync: ${esc(e.model.outOfSync)}</span>`
        : e.model?.modelOnly
          ? 'model-only (not compared)'
          : 'not compared';
  const f = e.comparison.fidelity;
  return `<span class="${f.matched === f.total ? 'ok' : 'bad'}">fidelity ${esc(fidelityLine(f))}</span>`;
}

/** The differing rows of the dimensions other than /proc/iomem (which the aligned table shows). */
function differencesTable(c: Comparison): string {
  const lines = diffLines(c).filter((l) => l.dimension !== 'iomem');
  if (!lines.length) return '';
  const body = lines
    .map((l) => {
      const cls = l.counted ? l.side : `${l.side} uncounted`;
      const text = esc(l.text) + (l.counted ? '' : ' <i>(not counted)</i>');
      const [real, model] = l.side === 'real' ? [text, ''] : ['', text];
      return `<tr class="${cls}"><td>${l.dimension}</td><td class="r">${real}</td><td class="m">${model}</td></tr>`;
    })
    .join('\n');
  return `<table><tr><th>dimension</th><th>real</th><th>model</th></tr>\n${body}</table>`;
}

function treeTable(rows: IomemDiffRow[], explanations: Explanation[]): string {
  const why = new Map(explanations.map((x) => [x.text, x]));
  const body = rows
    .map((r) => {
      const x = r.side !== 'real' ? why.get(r.text) : undefined;
      const real = r.side !== 'model' ? esc(r.text) : '';
      const model = r.side !== 'real' ? esc(r.text) : '';
      const rule = x ? `${esc(x.rule)} <i>(${esc(x.source)})</i>` : '';
      return (
        `<tr class="${r.side}"><td class="r">${real}</td><td class="m">${model}</td>` +
        `<td class="why">${rule}</td></tr>`
      );
    })
    .join('\n');
  return `<table><tr><th>real /proc/iomem</th><th>model</th><th>rule</th></tr>\n${body}</table>`;
}

function stepSection(e: TimelineEntry): string {
  const head = e.step
    ? `[${e.n}] ${esc(e.sent ?? describeStep(e.step))}`
    : `[${e.n}] ${e.source === 'boot' ? 'after boot' : 'snapshot'}`;
  const parts = [`<h2>${head}</h2>`, `<p>${fidelityText(e)} · source: ${e.source}</p>`];
  if (e.real?.output?.trim() || e.real?.exitCode !== undefined)
    parts.push(`<p>guest (exit ${e.real?.exitCode ?? '?'}):</p><pre>${esc(e.real?.output ?? '')}</pre>`);
  if (e.real?.error) parts.push(`<p class="bad">${esc(e.real.error)}</p>`);
  if (e.model?.output?.trim())
    parts.push(`<p>model (exit ${e.model.exitCode ?? '?'}):</p><pre>${esc(e.model.output)}</pre>`);
  if (e.comparison) parts.push(differencesTable(e.comparison));
  const shown = entryRows(e);
  if (shown.rows.length) parts.push(treeTable(shown.rows, shown.explanations));
  return parts.filter(Boolean).join('\n');
}

export function renderReport(r: ReportInput): string {
  const compared = r.steps.filter((s) => s.comparison);
  const sum = noFidelity();
  for (const s of compared) addFidelity(sum, s.comparison!.fidelity);
  const { matched, total } = sum;
  const meta = [
    `profile ${esc(r.profile)}`,
    r.kernel && `kernel ${esc(r.kernel)}`,
    r.qemu && `QEMU ${esc(r.qemu)}`,
    r.accel && `accelerator ${esc(r.accel)}`,
    `generated ${esc(r.generatedAt)}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const head =
    `<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<title>${esc(r.title)}</title><style>${CSS}</style></head>`;
  const agree = `<span class="${matched === total ? 'ok' : 'bad'}">${esc(fidelityLine(sum))}</span>`;
  return `<!doctype html>
${head}
<body><h1>${esc(r.title)}</h1><p>${meta}</p>
<p>${compared.length} compared steps, ${agree} items agree over every dimension.</p>
${r.steps.map(stepSection).join('\n')}
${r.error !== undefined ? `<h2>the guest failed</h2><pre class="bad">${esc(r.error)}</pre>\n` : ''}</body></html>
`;
}
