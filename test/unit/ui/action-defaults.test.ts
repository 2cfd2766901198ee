// The action panel's forms start with a command that works on the guest at
// hand: read from its snapshot, checked here against guests' own boot
// snapshots (recordings) and against the model for every shipped profile.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepLedger } from '../../../src-shared/ledger';
import { parseProfileYaml } from '../../../src-shared/profile/validate';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import {
  blockDefaults,
  daxDefaults,
  destroyDefaults,
  namespaceDefaults,
  nextDimmId,
} from '../../../src-renderer/views/actions/action-defaults';
import { createNamespaceLine, reconfigureLine } from '../../../src-renderer/views/actions/action-lines';
import { REAL, ROOT } from '../model/recorded';

const bootDump = (scenario: string) => parseProbeDump(readFileSync(join(REAL, scenario, '00.dump'), 'utf8'));
const run = (b: ReturnType<typeof createNamespaceLine>) => (b.ok ? (b.steps[0] as { run: string }).run : b.error);

describe('action panel defaults', () => {
  it("reconfigures a label-less NVDIMM's raw namespace, as a new one would find no space (guest's snapshot)", () => {
    expect(run(createNamespaceLine(namespaceDefaults(bootDump('kmem-labelless'))))).toBe(
      'ndctl create-namespace -e namespace0.0 -m devdax -f',
    );
    // labels not yet written: the region's available_size is all of it, yet its raw namespace covers it
    const unlabelled = bootDump('kmem-labels');
    expect(unlabelled.nd.regions[0]!.available).toBe(unlabelled.nd.regions[0]!.size);
    expect(run(createNamespaceLine(namespaceDefaults(unlabelled)))).toBe(
      'ndctl create-namespace -e namespace0.0 -m devdax -f',
    );
    // labels written and the region enabled again: an idle namespace waits, and the guest's next step
    // (create-namespace -r region0) succeeded there
    const labelled = parseProbeDump(readFileSync(join(REAL, 'kmem-too-small', '03.dump'), 'utf8'));
    expect(run(createNamespaceLine(namespaceDefaults(labelled)))).toBe('ndctl create-namespace -r region0 -m devdax');
  });

  const profiles = readdirSync(join(ROOT, 'qemu-profiles')).filter((f) => f.endsWith('.yaml'));
  it.each(profiles)('on %s, the namespace and dax defaults succeed in the model', (file) => {
    const p = parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', file), 'utf8'));
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
    const ledger = new StepLedger(p.value);
    const boot = ledger.boot().view!.snapshot;
    if (!boot.nd.regions.length) return expect(namespaceDefaults(boot).reconfig).toBe('');
    const ns = createNamespaceLine(namespaceDefaults(boot));
    expect(ns.ok).toBe(true);
    const created = ledger.step('panel', ns.ok ? ns.steps[0]! : { run: '' });
    expect(created.model?.exitCode).toBe(0);
    const dax = reconfigureLine(daxDefaults(created.view!.snapshot));
    const onlined = ledger.step('panel', dax.ok ? dax.steps[0]! : { run: '' });
    expect(onlined.model?.exitCode).toBe(0);
  });

  it('never offers a namespace whose memory is System RAM for destroying, and destroys with -f', () => {
    const s = bootDump('kmem-labelless');
    expect(destroyDefaults(s)).toEqual({ namespace: 'namespace0.0', force: true });
    const inKmem = parseProbeDump(readFileSync(join(REAL, 'kmem-labelless', '02.dump'), 'utf8'));
    expect(inKmem.dax.devices.map((d) => d.mode)).toEqual(['system-ram']);
    expect(destroyDefaults(inKmem).namespace).toBe('');
  });

  it('onlines an offline block, and guesses no block when none is offline', () => {
    const s = bootDump('kmem-labels');
    expect(blockDefaults(s).block).toBe('');
    const offline = {
      ...s,
      memoryBlocks: [...s.memoryBlocks, { id: 40, state: 'offline', zones: 'Movable', node: 0 }],
    };
    expect(blockDefaults(offline)).toEqual({ block: '40', state: 'online_movable' });
  });

  it('picks a DIMM id no step of the session has used, failed plugs included', () => {
    const qmp = (execute: string, id: string) =>
      ({ n: 1, at: 0, source: 'panel', step: { qmp: { execute, arguments: { id } } } }) as TimelineEntry;
    expect(nextDimmId([])).toBe('dimm1');
    expect(nextDimmId([qmp('object-add', 'mem-dimm1')])).toBe('dimm2');
    expect(nextDimmId([qmp('object-add', 'mem-dimm1'), qmp('device_add', 'dimm2')])).toBe('dimm3');
  });
});
