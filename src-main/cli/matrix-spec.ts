// pmem-lab matrix's entry in the command table (commands.ts), apart for its length.
import type { CommandSpec } from './spec';
import { ACCEL, COLD, json, JUNIT } from './shared-options';

export const matrix: CommandSpec = {
  name: 'matrix',
  summary: 'profiles x scenarios x kernels on real guests, several at once; one HTML report with the grid',
  description:
    'Reads a matrix file (name, scenarios, and optionally profiles and kernels; README "Scenario matrices") and ' +
    'runs every cell, a scenario on a profile with a kernel, as pmem-lab run runs it: each scenario runs on each ' +
    'profile listed in place of its own (without profiles, on its own), and on each kernel listed (host, a preset ' +
    'pmem-lab kernel build made, or your build; without kernels, the one the profile names). Cells run one per ' +
    'core within the guest cap and the host memory their guests need, booting from checkpoints (the first cell ' +
    "of a row saves its guest, the row's others restore it). A cell whose guest fails is reported as an error " +
    'and the others go on. Into the folder go cells/ID.json (the run --json result with the cell and its matrix), ' +
    'cells/ID.html (its step-by-step report) and index.html, the grid linking to them; pmem-lab report merge ' +
    'rebuilds that page from the cells alone, e.g. from CI jobs that ran one cell each (--list-cells, --cell).',
  positional: {
    name: 'FILE.yaml',
    required: true,
    complete: 'file',
    description: 'a matrix file: name, scenarios, and optionally profiles and kernels',
  },
  options: [
    {
      name: 'out',
      type: 'string',
      value: 'DIR',
      complete: 'dir',
      description: "where the grid and the cells' files go (default matrix-out/NAME)",
    },
    {
      name: 'cell',
      type: 'string',
      value: 'ID',
      description: "run this cell only, writing its files but no grid (a CI job's share; --list-cells names them)",
    },
    {
      name: 'list-cells',
      type: 'boolean',
      description: 'print the cells and run nothing; with --json one line of JSON a CI job matrix takes as it is',
    },
    json(
      'print { matrix, out, report, cells: [{ id, status, fidelity, error?, json, html }] }; with --list-cells ' +
        '[{ id, row, column, scenario, profile, kernel? }]',
    ),
    JUNIT,
    {
      name: 'max-guests',
      type: 'string',
      value: 'N',
      description:
        'run at most N cells at once (default: one per core, within the guest cap of PMEM_LAB_MAX_GUESTS or two ' +
        'per core and one per 2 GiB of memory)',
    },
    ACCEL,
    COLD,
  ],
  exitCodes: [
    '0  model and guest agree in every cell',
    "1  a cell differs, or its guest failed (the grid says which; every cell's files are written)",
    '2  error (a bad matrix file, naming the field; a missing kernel; a bad option)',
  ],
  examples: [
    'pmem-lab matrix examples/ci/matrix.yaml',
    'pmem-lab matrix examples/ci/matrix.yaml --junit results.xml --out /tmp/m',
    'pmem-lab matrix examples/ci/matrix.yaml --list-cells --json',
    'pmem-lab matrix examples/ci/matrix.yaml --cell nvdimm-1g-labels.kmem-labels --out results --junit cell.xml',
  ],
  load: async () => (await import('./matrix')).matrixCommand,
};
