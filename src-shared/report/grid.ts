// The matrix report: one self-contained HTML page with the grid (rows: a
// profile on a kernel; columns: scenarios), each cell saying whether model and
// guest agree, differ or the guest failed, with its fidelity, and linking to
// its step-by-step report (cells/ID.html beside the page). Built from the
// cells' results alone and in the matrix's order, with no clock: `report
// merge` of the same results gives the same bytes.
import { DIMENSIONS } from '../compare';
import { rowLabel } from '../matrix/cells';
import type { Grid, GridCell } from '../matrix/result';
import { fidelityLine } from './text';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1f24;background:#fff}
h1{font-size:1.5em}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:6px 10px;vertical-align:top;text-align:left}
th{background:#f5f5f5}td a{font-weight:600}small{color:#555}
td.agree{background:#e6f4ea}td.agree a{color:#0a7a2f}td.differ{background:#fff4e5}td.differ a{color:#a15c00}
td.error{background:#fde7e9}td.error a{color:#b3261e}td.missing{background:#f2f2f2;color:#777}
.fid{font:12px ui-monospace,monospace}.why{font-size:12px;max-width:28em;white-space:pre-wrap}`;

/** The values the cells share or not, sorted, so the page says what the grid ran on. */
const values = (cells: readonly GridCell[], key: 'kernel' | 'qemu' | 'accel') =>
  [...new Set(cells.flatMap((c) => (c[key] ? [c[key]] : [])))].sort();

function differing(c: GridCell): string {
  const dims = DIMENSIONS.filter((d) => c.fidelity.byDimension[d].matched !== c.fidelity.byDimension[d].total);
  const at =
    c.firstDifference === undefined ? '' : c.firstDifference === 0 ? 'from boot' : `from step ${c.firstDifference}`;
  return [dims.length ? dims.join(', ') : 'model out of sync', at].filter(Boolean).join(' · ');
}

function cellHtml(c: GridCell | undefined, ownProfile: boolean): string {
  if (!c) return '<td class="missing">no result</td>';
  const href = `cells/${encodeURIComponent(c.id)}.html`;
  const link = `<a href="${href}" title="${esc(fidelityLine(c.fidelity))}">${c.status}</a>`;
  const lines = [link, `<div class="fid">${c.fidelity.matched}/${c.fidelity.total}</div>`];
  if (c.status === 'differ') lines.push(`<div class="why">${esc(differing(c))}</div>`);
  if (c.error !== undefined) lines.push(`<div class="why">${esc(c.error.split('\n', 1)[0]!)}</div>`);
  if (ownProfile) lines.push(`<small>on ${esc(c.profile)}</small>`);
  return `<td class="${c.status}">${lines.join('')}</td>`;
}

export function renderGrid({ header, cells }: Grid): string {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const title = `pmem-lab matrix ${header.name}`;
  const n = (s: GridCell['status']) => cells.filter((c) => c.status === s).length;
  const all = header.rows.length * header.columns.length;
  const counts =
    `${all} cells: ${n('agree')} agree, ${n('differ')} differ, ${n('error')} error` +
    (all > cells.length ? `, ${all - cells.length} without a result` : '');
  const ran = [
    ...values(cells, 'kernel').map((k) => `kernel ${esc(k)}`),
    ...values(cells, 'qemu').map((q) => `QEMU ${esc(q)}`),
    ...values(cells, 'accel').map((a) => `accelerator ${esc(a)}`),
  ];
  const headRow = `<tr><th></th>${header.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const rows = header.rows.map(
    (r) =>
      `<tr><th>${esc(rowLabel(r))}</th>` +
      header.columns.map((c) => cellHtml(byId.get(`${r.id}.${c}`), !r.profile)).join('') +
      '</tr>',
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">\
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">\
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>
${header.description ? `<p>${esc(header.description)}</p>\n` : ''}<p>${[counts, ...ran].join(' · ')}</p>
<table>
${headRow}
${rows.join('\n')}
</table>
<p><small>Each cell links to its step-by-step report. agree: model and guest agree at every step in every dimension; \
differ: they part in the dimensions named, from the step named; error: the guest failed (its report shows the steps \
up to there).</small></p>
</body></html>
`;
}
