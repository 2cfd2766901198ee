// Cell results as pmem-lab matrix writes them, from the ledger over a recorded guest (no QEMU): a 2 x 2 matrix.
import { StepLedger, runJson, summarize } from '../../../src-shared/ledger';
import { expandMatrix } from '../../../src-shared/matrix/cells';
import { devdax, profile, real } from '../ledger/kmem-labels';

export const { header } = expandMatrix('smoke', 'two <profiles>', { profiles: ['p1', 'p2'], scenarios: ['s1', 's2'] });

/** A cell result as pmem-lab matrix writes it, from a real ledger: boot and one step on the recorded guest. */
export function result(id: string, opts: { exitCode?: number; error?: string; kernel?: string } = {}) {
  const l = new StepLedger(profile);
  l.boot({ snapshot: real(0) });
  if (opts.exitCode !== undefined)
    l.step('scenario', devdax, { output: '', exitCode: opts.exitCode, snapshot: real(1) });
  const { agree } = summarize(l.entries);
  const [row, column] = [id.slice(0, 2), id.slice(3)];
  return {
    cell: { id, row, column, profile: row, status: opts.error ? 'error' : agree ? 'agree' : 'differ' },
    matrix: header,
    ...runJson({ scenario: column, kernel: opts.kernel ?? '6.1.0-56-amd64', qemu: '7.2.22', accel: 'tcg' }, l.entries, {
      explain: true,
      ...(opts.error ? { error: opts.error } : {}),
    }),
  };
}
