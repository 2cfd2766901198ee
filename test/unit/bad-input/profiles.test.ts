// 10,000 generated profiles and scenarios, most of them broken: each is either
// valid (and then builds an argv with no smuggled options) or rejected with
// errors that name a field. Nothing is thrown.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LabBackend } from '../../../src-main/backend/lab-backend';
import { profileNotices } from '../../../src-shared/profile/notices';
import { validateProfile } from '../../../src-shared/profile/validate';
import { validateScenario } from '../../../src-shared/scenario/schema';
import { buildQemuArgv } from '../../../src-main/qemu/argv';
import { QemuOptionError } from '../../../src-main/qemu/escape';
import { RUNS, RUNS_TIMEOUT_MS } from './counts';

const BASE = {
  name: 'fuzz',
  cpus: 2,
  memory: { size: '2G', slots: 4, maxmem: '8G' },
  numa: [
    { node: 0, cpus: [0, 1], memory: '2G' },
    { node: 1, cpus: [], memory: 0 },
  ],
  nvdimms: [{ id: 'nvdimm0', size: '1G', labels: '128K', node: 1, backing: 'temporary' }],
  kernelArgs: ['memmap=512M!4G'],
};

const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    ',',
    'a,b',
    'x,id=evil',
    '$(reboot)',
    '`id`',
    '"q"',
    "'q'",
    'a\nb',
    '\u0000',
    '-1',
    '0x',
    '1Q',
    '9999999T',
    'none',
    'persistent',
    '../..',
    'a b',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

const paths: (string | number)[][] = [
  ['name'],
  ['cpus'],
  ['machine'],
  ['memory', 'size'],
  ['memory', 'slots'],
  ['memory', 'maxmem'],
  ['numa', 0, 'node'],
  ['numa', 1, 'cpus'],
  ['numa', 0, 'memory'],
  ['nvdimms', 0, 'id'],
  ['nvdimms', 0, 'size'],
  ['nvdimms', 0, 'labels'],
  ['nvdimms', 0, 'node'],
  ['nvdimms', 0, 'backing'],
  ['kernelArgs', 0],
  ['accel'],
  ['kernel'],
  ['unknownKey'],
  ['memory', 'extra'],
];

/** A copy of BASE with some fields replaced by nasty values or deleted. */
const mutated = fc
  .array(fc.tuple(fc.constantFrom(...paths), fc.option(nasty, { nil: undefined })), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    const p = structuredClone(BASE) as Record<string, unknown>;
    for (const [path, value] of edits) {
      let o = p;
      for (const k of path.slice(0, -1)) o = (o[k as string] ??= {}) as Record<string, unknown>;
      if (o && typeof o === 'object') {
        if (value === undefined) delete o[path[path.length - 1] as string];
        else o[path[path.length - 1] as string] = value;
      }
    }
    return p;
  });

const PATHS = {
  kernel: '/k/vmlinux',
  initrd: '/k/initrd',
  consoleSocket: '/r/c.sock',
  probeSocket: '/r/p.sock',
  qmpSocket: '/r/q.sock',
};
const ALLOWED: Record<string, string[]> = {
  '-object': ['id', 'share', 'mem-path', 'size', 'align', 'reserve'],
  '-device': ['id', 'memdev', 'label-size', 'node'],
  '-chardev': ['id', 'path'],
};
const FIELD = /^(\(root\)|[A-Za-z][\w-]*(\[\d+\])*(\.[A-Za-z][\w-]*(\[\d+\])*)*)$/;

describe(`${RUNS} generated profiles`, { timeout: RUNS_TIMEOUT_MS }, () => {
  it('are valid, or rejected with errors naming a field; valid ones never smuggle QEMU options', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (data) => {
        const r = validateProfile(data);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.field).toMatch(FIELD);
          return;
        }
        valid++;
        const argv = buildQemuArgv(r.value, 'tcg', {
          ...PATHS,
          nvdimmFiles: Object.fromEntries(r.value.nvdimms.map((d) => [d.id, `/r/${d.id}.img`])),
        });
        // eslint-disable-next-line no-control-regex -- no control character may reach the argv
        for (const a of argv) expect(a).not.toMatch(/[\x00-\x1f]/);
        // every -object and -device carries only the keys the argv builder writes: a value cannot add one
        for (let i = 0; i < argv.length; i++) {
          const allowed = ALLOWED[argv[i]!];
          if (allowed) for (const k of Object.keys(qemuOptsOf(argv[i + 1]!))) expect(allowed).toContain(k);
        }
      }),
      { numRuns: RUNS },
    );
    expect(valid).toBeGreaterThan(0);
  });
});

// Each notice boots the model, so fewer runs: the guarantee is that the live check never throws for a valid profile.
describe(`${RUNS / 20} generated valid profiles`, { timeout: RUNS_TIMEOUT_MS }, () => {
  it('get notices that name an NVDIMM field, never an exception', () => {
    let told = 0;
    fc.assert(
      fc.property(mutated, (data) => {
        const r = validateProfile(data);
        if (!r.ok) return;
        for (const n of profileNotices(r.value)) {
          expect(n.field).toMatch(/^nvdimms(\[\d+\]\.size)?$/);
          told++;
        }
      }),
      { numRuns: RUNS / 20 },
    );
    expect(told).toBeGreaterThan(0);
  });
});

describe(`${RUNS} generated profile files booted through the backend`, { timeout: RUNS_TIMEOUT_MS }, () => {
  it('an invalid one is refused with the field named, and no session, runtime folder or QEMU is started', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pmem-lab-fuzz-boot-'));
    process.env.PMEM_LAB_CONFIG = join(root, 'config');
    process.env.PMEM_LAB_RUN = join(root, 'run');
    mkdirSync(join(root, 'config/profiles'), { recursive: true });
    const file = join(root, 'config/profiles/fuzz.yaml');
    const lab = new LabBackend({ mode: 'browser' });
    let refused = 0;
    try {
      await fc.assert(
        fc.asyncProperty(mutated, async (data) => {
          if (validateProfile(data).ok) return; // a valid one would really boot: the integration tests do that
          writeFileSync(file, stringify(data));
          const r = await lab.call('vm.boot', { profile: 'fuzz' });
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.field).toMatch(FIELD);
          refused++;
        }),
        { numRuns: RUNS },
      );
      expect(refused).toBeGreaterThan(RUNS / 2);
      expect(await lab.call('lab.info', {})).toMatchObject({ ok: true, value: { sessions: [] } });
      expect(existsSync(process.env.PMEM_LAB_RUN)).toBe(false);
    } finally {
      delete process.env.PMEM_LAB_CONFIG;
      delete process.env.PMEM_LAB_RUN;
    }
  }, 120_000);
});

describe(`${RUNS} generated scenarios`, { timeout: RUNS_TIMEOUT_MS }, () => {
  const step = fc.oneof(
    fc.record({ run: nasty }),
    fc.record({
      qmp: fc.oneof(
        nasty,
        fc.record({ execute: nasty, arguments: fc.option(fc.dictionary(fc.string(), nasty), { nil: undefined }) }),
      ),
    }),
    fc.record({ model: nasty }),
    nasty,
  );
  it('are valid, or rejected with errors naming a field', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            name: fc.oneof(fc.constant('ok-name'), nasty),
            profile: fc.oneof(fc.constant('nvdimm-1g-labels'), nasty),
            steps: fc.oneof(fc.array(step, { maxLength: 4 }), nasty),
          },
          { requiredKeys: [] },
        ),
        (data) => {
          const r = validateScenario(data);
          if (r.ok) {
            for (const s of r.value.steps) if ('run' in s) expect(s.run).not.toContain('\n');
            return;
          }
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.field).toMatch(FIELD);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** QEMU's own reading of "head,k=v,k2=v2" with ",," as a literal comma. */
function qemuOptsOf(s: string): Record<string, string> {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ',' && s[i + 1] === ',') {
      cur += ',';
      i++;
    } else if (s[i] === ',') {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  return Object.fromEntries(parts.slice(1).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

describe(`${RUNS} hostile file paths`, { timeout: RUNS_TIMEOUT_MS }, () => {
  const profile = validateProfile(BASE);
  if (!profile.ok) throw new Error('base profile invalid');
  const pathChars = fc.string({
    unit: fc.constantFrom('a', '/', ',', ' ', '"', "'", '$', '(', ')', '`', ';', '=', '\n', '\\', '-', 'é'),
    minLength: 1,
    maxLength: 24,
  });

  it('become exactly one option value or a refusal naming the field, never extra options', () => {
    fc.assert(
      fc.property(pathChars, pathChars, (img, kernel) => {
        const paths = { ...PATHS, kernel: `/k/${kernel}`, nvdimmFiles: { nvdimm0: `/r/${img}` } };
        let argv: string[];
        try {
          argv = buildQemuArgv(profile.value, 'tcg', paths);
        } catch (e) {
          expect(e).toBeInstanceOf(QemuOptionError);
          expect((e as QemuOptionError).field).toMatch(/^(kernel|nvdimms\[0\]\.mem-path)$/);
          expect(`/k/${kernel}`.includes(',') || /[\n]/.test(img + kernel)).toBe(true);
          return;
        }
        const obj = argv.find((a) => a.startsWith('memory-backend-file,'))!;
        const opts = qemuOptsOf(obj);
        expect(opts['mem-path']).toBe(`/r/${img}`);
        expect(Object.keys(opts).sort()).toEqual(['align', 'id', 'mem-path', 'share', 'size']);
        expect(argv[argv.indexOf('-kernel') + 1]).toBe(`/k/${kernel}`);
      }),
      { numRuns: RUNS },
    );
  });
});
