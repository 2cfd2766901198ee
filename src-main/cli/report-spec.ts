// pmem-lab report's entry in the command table (commands.ts), apart for its length.
import type { CommandSpec } from './spec';
import { json } from './shared-options';

export const report: CommandSpec = {
  name: 'report',
  summary: "join matrix cells' results into the grid report (report merge FILE.json...)",
  description:
    'report merge reads cell results that pmem-lab matrix wrote (cells/ID.json, locally or one per CI job with ' +
    '--cell), checks they are cells of one matrix, each once, and writes the grid report into --out: index.html, ' +
    "with each result and its step report (ID.html beside ID.json) under cells/. The page depends on the cells' " +
    'results alone, not on their order or the time of the merge: the cells of a local matrix run give its page ' +
    'byte for byte. A cell with no result shows as such.',
  positional: { name: 'ACTION', required: true, choices: ['merge'], description: 'merge' },
  second: {
    name: 'FILE.json',
    required: true,
    variadic: true,
    complete: 'file',
    description: "the cells' results (cells/ID.json), in any order",
  },
  options: [
    {
      name: 'out',
      type: 'string',
      value: 'DIR',
      complete: 'dir',
      description: "where the grid report goes (default matrix-out/NAME, the matrix's own folder)",
    },
    json('print { matrix, report, cells: [{ id, status, fidelity }], missing: [ID], withoutReport: [FILE] }'),
  ],
  exitCodes: [
    '0  written, and model and guest agree in every cell',
    '1  written; a cell differs, its guest failed, or it has no result',
    '2  error: a file that is no cell result, cells of two matrices, the same cell twice (each file named)',
  ],
  examples: [
    'pmem-lab report merge results/*/cells/*.json --out report',
    'pmem-lab report merge matrix-out/smoke/cells/*.json --out /tmp/again',
  ],
  load: async () => (await import('./report')).reportCommand,
};
