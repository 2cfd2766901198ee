import { readFileSync } from 'node:fs';
import { createModel } from './src-shared/model';
import { applyStep } from './src-shared/scenario/apply';
import { parseProbeDump } from './src-shared/snapshot/probe-dump';
import { loadRecorded, recorded } from './test/unit/model/recorded';
for (const name of recorded) {
  const { scenario, profile } = loadRecorded(name);
  const m = createModel(profile);
  const out: string[] = [];
  for (let i = 0; i <= scenario.steps.length; i++) {
    if (i > 0) { const s = scenario.steps[i - 1]!; if ('model' in s) break; applyStep(m, s); }
    let real;
    try { real = parseProbeDump(readFileSync(`test/fixtures/real/${name}/${String(i).padStart(2, '0')}.dump`, 'utf8')); } catch { break; }
    const mm = m.snapshot().numa.nodes.map((n) => `${n.id}:${n.memTotalKiB}`).join(',');
    const rr = real.numa.nodes.map((n) => `${n.id}:${n.memTotalKiB}`).join(',');
    out.push(`${i} real ${rr} model ${mm} diff ${real.numa.nodes.map((n) => n.memTotalKiB - (m.snapshot().numa.nodes.find((x) => x.id === n.id)?.memTotalKiB ?? 0)).join(',')}`);
  }
  console.log(name, '\n  ' + out.slice(0, 3).join('\n  '));
}
