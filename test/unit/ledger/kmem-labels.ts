// What the ledger tests feed it: the nvdimm-1g-labels profile and the real guest as recorded by kmem-labels.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfileYaml } from '../../../src-shared/profile/validate';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';

const ROOT = join(import.meta.dirname, '../../..');

export const profile = (() => {
  const r = parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles/nvdimm-1g-labels.yaml'), 'utf8'));
  if (!r.ok) throw new Error('profile');
  return r.value;
})();

/** The real guest after boot (0) and after the first kmem-labels step (1), as recorded. */
export const real = (i: number) =>
  parseProbeDump(readFileSync(join(ROOT, `test/fixtures/real/kmem-labels/0${i}.dump`), 'utf8'));

export const devdax = { run: 'ndctl create-namespace -f -e namespace0.0 -m devdax' };
