// The action panel's CXL tab sends exactly the vocabulary: its forms become
// cxl lines the shared parser reads back as the intended action, and on every
// shipped CXL profile the form's first command, then disable, enable and
// destroy of the region it made, succeed in the model.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../src-shared/actions';
import { StepLedger } from '../../../src-shared/ledger';
import { parseProfileYaml } from '../../../src-shared/profile/validate';
import { createRegionDefaults } from '../../../src-renderer/views/actions/action-defaults';
import type { Built } from '../../../src-renderer/views/actions/action-lines';
import { createRegionLine, regionOpLine } from '../../../src-renderer/views/actions/cxl-lines';
import { ROOT } from '../model/recorded';

const line = (b: Built) => (b.ok ? (b.steps[0] as { run: string }).run : b.error);
const form = { decoder: 'decoder0.0', memdevs: ['mem0'], size: '', granularity: '' };

describe('CXL tab lines', () => {
  it('creates a pmem region with only the options given, read back as the intended action', () => {
    expect(line(createRegionLine(form))).toBe('cxl create-region -d decoder0.0 -t pmem -m mem0');
    const full = line(
      createRegionLine({ decoder: 'decoder0.1', memdevs: ['mem0', 'mem1'], size: '512M', granularity: '1024' }),
    );
    expect(full).toBe('cxl create-region -d decoder0.1 -t pmem -s 512M -g 1024 -m mem0 mem1');
    expect(parseConsoleLine(full)).toMatchObject({
      kind: 'action',
      action: {
        kind: 'cxl-create-region',
        decoder: 'decoder0.1',
        type: 'pmem',
        size: '512M',
        granularity: 1024,
        memdevsFlag: true,
        targets: ['mem0', 'mem1'],
      },
    });
  });

  it('says what is missing or wrong instead of building a line', () => {
    expect(line(createRegionLine({ ...form, decoder: '' }))).toMatch(/^root decoder: /);
    expect(line(createRegionLine({ ...form, memdevs: [] }))).toMatch(/^memdevs: /);
    expect(line(createRegionLine({ ...form, size: 'lots' }))).toMatch(/^size: "lots" is not a size/);
    expect(line(createRegionLine({ ...form, granularity: '1k' }))).toMatch(/^granularity: /);
    expect(line(regionOpLine('enable', '', false))).toMatch(/^region: /);
  });

  it('enables, disables and destroys a region; only destroy takes -f', () => {
    expect(line(regionOpLine('enable', 'region0', true))).toBe('cxl enable-region region0');
    expect(line(regionOpLine('disable', 'region0', true))).toBe('cxl disable-region region0');
    expect(line(regionOpLine('destroy', 'region0', false))).toBe('cxl destroy-region region0');
    const destroy = line(regionOpLine('destroy', 'region2', true));
    expect(destroy).toBe('cxl destroy-region -f region2');
    expect(parseConsoleLine(destroy)).toMatchObject({
      kind: 'action',
      action: { kind: 'cxl-region', op: 'destroy', force: true, regions: ['region2'] },
    });
  });

  const profiles = readdirSync(join(ROOT, 'qemu-profiles'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => parseProfileYaml(readFileSync(join(ROOT, 'qemu-profiles', f), 'utf8')))
    .flatMap((p) => (p.ok && p.value.cxl?.devices.length ? [p.value] : []));
  it('has CXL profiles to check', () => expect(profiles.map((p) => p.name)).toContain('q35-cxl-pmem'));
  it.each(profiles.map((p) => [p.name, p] as const))('on %s, the defaults and the region buttons succeed', (_, p) => {
    const ledger = new StepLedger(p);
    const boot = ledger.boot().view!.snapshot;
    const defaults = createRegionDefaults(boot.cxl);
    expect(defaults).toEqual({ decoder: 'decoder0.0', memdevs: ['mem0'], size: '', granularity: '' });
    const step = (b: Built) => ledger.step('panel', b.ok ? b.steps[0]! : { run: '' });
    const created = step(createRegionLine(defaults));
    expect(created.model?.exitCode).toBe(0);
    const region = created.view!.snapshot.cxl!.regions[0]!.name;
    // mem0's only decoder is taken now: the form still offers it, as no memdev is free
    expect(createRegionDefaults(created.view!.snapshot.cxl).memdevs).toEqual(['mem0']);
    for (const op of ['disable', 'enable', 'destroy'] as const)
      expect(step(regionOpLine(op, region, true)).model?.exitCode).toBe(0);
  });
});
