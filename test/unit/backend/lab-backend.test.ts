// The contract at the backend's boundary, without a guest: every call's
// params are validated, errors come back as values naming the field.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../../src-main/backend/lab-backend';

const ROOT = join(import.meta.dirname, '../../..');
let config: string;
beforeAll(() => {
  config = mkdtempSync(join(tmpdir(), 'pmem-lab-config-'));
  process.env.PMEM_LAB_CONFIG = config;
});

describe('LabBackend', () => {
  const lab = new LabBackend({ mode: 'browser' });

  it('refuses unknown calls and malformed params without running anything', async () => {
    expect(await lab.call('vm.destroyEverything', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'method' },
    });
    expect(await lab.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await lab.call('vm.boot', { profile: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'profile' },
    });
    expect(await lab.call('vm.boot', { profile: 'nvdimm-1g-labels', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await lab.call('console.input', { session: 'zzzz', data: 'ls\r' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'session' },
    });
    expect(await lab.call('session.act', { session: 'deadbeef', step: { run: 'a\nb' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'step.run' },
    });
  });

  it('says which session is missing', async () => {
    expect(await lab.call('vm.stop', { session: 'deadbeef' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('deadbeef') },
    });
  });

  it('lists the shipped profiles with their parsed form', async () => {
    const r = await lab.call('profiles.list', {});
    if (!r.ok) throw new Error(r.error.message);
    const names = (r.value as { name: string }[]).map((p) => p.name);
    const shipped = readdirSync(join(ROOT, 'qemu-profiles'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -5));
    expect(names).toEqual(expect.arrayContaining(shipped));
    const labels = (r.value as { name: string; profile?: { nvdimms: { labels: unknown }[] } }[]).find(
      (p) => p.name === 'nvdimm-1g-labels',
    );
    expect(labels?.profile?.nvdimms[0]?.labels).toBe(128 * 1024);
  });

  it('checks a profile live and previews its QEMU command line', async () => {
    const yaml = readFileSync(join(ROOT, 'qemu-profiles/nvdimm-1g-labels.yaml'), 'utf8');
    const good = await lab.call('profiles.check', { yaml });
    expect(good).toMatchObject({ ok: true, value: { ok: true } });
    const argv = (good as { value: { argv: string[] } }).value.argv;
    expect(argv).toContain('-nodefaults');
    expect(argv.join(' ')).toMatch(/nvdimm,id=nvdimm0,memdev=/);
    const bad = await lab.call('profiles.check', { yaml: yaml.replace('size: 2G', 'size: lots') });
    expect(bad).toMatchObject({ ok: true, value: { ok: false, errors: [{ field: 'memory.size' }] } });
  });

  it('saves a valid profile atomically into the user folder, and refuses a mismatched name', async () => {
    const yaml = 'name: mine\nmemory: { size: 1G }\n';
    expect(await lab.call('profiles.save', { name: 'mine', yaml })).toMatchObject({
      ok: true,
      value: { name: 'mine' },
    });
    expect(readFileSync(join(config, 'profiles/mine.yaml'), 'utf8')).toBe(yaml);
    expect(await lab.call('profiles.save', { name: 'other', yaml })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'name' },
    });
    expect(await lab.call('profiles.save', { name: 'mine', yaml: 'name: mine\nmemory: { size: -1 }\n' })).toMatchObject(
      { ok: false, error: { code: 'invalid', field: 'memory.size' } },
    );
    expect(readFileSync(join(config, 'profiles/mine.yaml'), 'utf8')).toBe(yaml);
    expect(readdirSync(join(config, 'profiles'))).toEqual(['mine.yaml']);
  });

  it('lists the kernel presets, and refuses to build one kernel-presets/ lacks, naming those it has', async () => {
    const list = await lab.call('kernels.list', {});
    if (!list.ok) throw new Error(list.error.message);
    const names = (list.value as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['base', 'debug', 'hmm']));
    expect(await lab.call('kernels.build', { preset: 'nope' })).toEqual({
      ok: false,
      error: {
        code: 'not-found',
        field: 'preset',
        message: `preset: no kernel preset "nope"; the lab has ${names.join(', ')} (kernel-presets/*.config)`,
      },
    });
    expect(await lab.call('kernels.build', { preset: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid', field: 'preset' },
    });
  });
});
