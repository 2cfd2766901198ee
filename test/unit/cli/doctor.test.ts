// pmem-lab doctor's logic with a stand-in host: statuses, the honest summary,
// exit codes, --json, --reprobe and the progress of a cold cache.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCTOR_CHECKS, accelResult, type DoctorCheck, type DoctorHost } from '../../../src-main/cli/doctor-checks';
import { formatReport, runChecks, summaryLine, verdictOf } from '../../../src-main/cli/doctor';
import type { KitProgress } from '../../../src-main/kit/build';
import { accelCachePath, forgetAccelVerdict, type AccelVerdict } from '../../../src-main/guest/accel';
import type { PrepareOptions, Prepared } from '../../../src-main/guest/lab';

const CACHE = '/cache/pmem-lab/accel.json';
const TCG: AccelVerdict = {
  accel: 'tcg',
  reason: '/dev/kvm exists but a KVM test boot failed (QEMU exited); using TCG',
  cached: false,
};

/** A host whose prepare() reports the given kit stages, then records that the accelerator was chosen. */
function fakeHost(o: {
  stages: KitProgress['stage'][];
  verdictCached: boolean;
  reprobe?: boolean;
  verdict?: AccelVerdict;
}) {
  const log: string[] = [];
  let cached = o.verdictCached;
  const host: DoctorHost = {
    kernel: () =>
      Promise.resolve({
        image: '/boot/vmlinuz-6.1',
        modulesDir: '/lib/modules/6.1',
        release: '6.1',
        origin: 'host',
      }),
    tools: () =>
      Promise.resolve({ busybox: '/bin/busybox', ndctl: '/bin/ndctl', daxctl: '/bin/daxctl', cxl: '/bin/cxl' }),
    prepare: (_profile, opts: PrepareOptions) => {
      for (const stage of o.stages) opts.onProgress?.({ stage, detail: stage });
      log.push(cached ? 'accelerator read from the cache' : 'KVM TEST BOOT');
      return Promise.resolve({ accel: { ...(o.verdict ?? TCG), cached } } as Prepared);
    },
    kvmAccess: () => Promise.resolve('usable'),
    accelCache: {
      path: CACHE,
      exists: () => Promise.resolve(cached),
      forget: () => {
        cached = false;
        return Promise.resolve();
      },
    },
    reprobe: o.reprobe ?? false,
    progress: (line) => log.push(line),
  };
  return { host, log };
}
const accelerator = DOCTOR_CHECKS.find((c) => c.name === 'accelerator')!;

describe('pmem-lab doctor', () => {
  it('reports ok, warn and miss, taking the fix from the error, and never "ready" alone beside a warning', async () => {
    const checks: DoctorCheck[] = [
      { name: 'fine', run: () => Promise.resolve('here') },
      { name: 'slow', run: () => Promise.resolve({ status: 'warn', detail: 'TCG', fix: 'enable KVM' }) },
    ];
    const { host } = fakeHost({ stages: [], verdictCached: true });
    const reports = await runChecks(checks, host);
    expect(reports).toEqual([
      { name: 'fine', status: 'ok', detail: 'here' },
      { name: 'slow', status: 'warn', detail: 'TCG', fix: 'enable KVM' },
    ]);
    const warned = verdictOf(reports);
    expect(warned).toMatchObject({ verdict: 'ready-with-warnings', exitCode: 0 });
    expect(summaryLine(warned)).toBe('ready, with 1 warning: the lab works; the fix above removes it');

    const broken = await runChecks(
      [
        ...checks,
        {
          name: 'tool',
          run: async () => Promise.reject(new Error('ndctl not found on the host\n  fix: apt-get install ndctl')),
        },
      ],
      host,
    );
    expect(broken[2]).toEqual({
      name: 'tool',
      status: 'miss',
      detail: 'ndctl not found on the host',
      fix: 'apt-get install ndctl',
    });
    expect(formatReport(broken[2]!)).toBe('MISS  tool: ndctl not found on the host\n      fix: apt-get install ndctl');
    const r = verdictOf(broken);
    expect(r).toMatchObject({ verdict: 'not-ready', exitCode: 1 });
    expect(summaryLine(r)).toMatch(/^not ready: 1 missing, 1 warning; apply the fixes above/);
    expect(summaryLine(verdictOf(reports.slice(0, 1)))).toBe('ready: every check passed');
  });

  it('--json has checks with name, status, detail and fix, the verdict and the exit code', async () => {
    const { host } = fakeHost({ stages: [], verdictCached: true });
    const report = verdictOf(
      await runChecks(
        [{ name: 'slow', run: () => Promise.resolve({ status: 'warn', detail: 'TCG', fix: 'enable KVM' }) }],
        host,
      ),
    );
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      checks: [{ name: 'slow', status: 'warn', detail: 'TCG', fix: 'enable KVM' }],
      verdict: 'ready-with-warnings',
      exitCode: 0,
    });
  });

  it('makes TCG a warning with the way to KVM, and says where the verdict is cached', () => {
    expect(accelResult({ ...TCG, cached: true }, 'usable', CACHE)).toEqual({
      status: 'warn',
      detail: `tcg: ${TCG.reason} (cached in ${CACHE}; --reprobe tests again)`,
      fix: expect.stringContaining('pmem-lab doctor --reprobe'),
    });
    expect(accelResult({ accel: 'tcg', reason: 'no /dev/kvm', cached: false }, 'absent', CACHE)).toMatchObject({
      status: 'warn',
      detail: 'tcg: no /dev/kvm',
      fix: expect.stringContaining('kvm_intel'),
    });
    expect(accelResult({ accel: 'tcg', reason: 'not writable', cached: false }, 'denied', CACHE).fix).toContain(
      'usermod -aG kvm',
    );
    expect(
      accelResult(
        { accel: 'kvm', reason: 'a KVM test boot reached the guest in 900 ms', cached: false },
        'usable',
        CACHE,
      ),
    ).toMatchObject({ status: 'ok', detail: expect.stringContaining(`tested now, cached in ${CACHE}`) });
  });

  it('on a cold cache says it builds the kit, then says it test-boots under KVM before doing so', async () => {
    const { host, log } = fakeHost({
      stages: ['hash', 'extract', 'modules', 'libraries', 'initramfs', 'done'],
      verdictCached: false,
    });
    expect(await accelerator.run(host)).toMatchObject({ status: 'warn' });
    expect(log[0]).toBe('building the guest kit (first time for this kernel and these tools, a few seconds)...');
    expect(log.slice(1, 6)).toEqual([
      'kit: extract: extract',
      'kit: modules: modules',
      'kit: libraries: libraries',
      'kit: initramfs: initramfs',
      'kit: done: done',
    ]);
    expect(log.slice(6)).toEqual(['testing KVM with a short test boot of a guest (up to 6 s)...', 'KVM TEST BOOT']);
  });

  it('with a warm cache prints no progress; --reprobe forgets the verdict and says it tests again', async () => {
    const warm = fakeHost({ stages: ['hash', 'cached'], verdictCached: true });
    await accelerator.run(warm.host);
    expect(warm.log).toEqual(['accelerator read from the cache']);
    const again = fakeHost({ stages: ['hash', 'cached'], verdictCached: true, reprobe: true });
    const r = await accelerator.run(again.host);
    expect(again.log).toEqual([
      `forgot the cached accelerator verdict (${CACHE})`,
      'testing KVM with a short test boot of a guest (up to 6 s)...',
      'KVM TEST BOOT',
    ]);
    expect(r).toMatchObject({ detail: expect.stringContaining(`tested now, cached in ${CACHE}`) });
  });

  it('--reprobe removes the cached verdict file, and a missing one is no error', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pmem-lab-accel-'));
    try {
      writeFileSync(accelCachePath(root), '{"key":"k","accel":"tcg","reason":"r"}');
      await forgetAccelVerdict(root);
      expect(existsSync(join(root, 'accel.json'))).toBe(false);
      await forgetAccelVerdict(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is a list of named checks another check can be appended to', () => {
    expect(DOCTOR_CHECKS.map((c) => c.name)).toEqual([
      'QEMU',
      'guest kernel',
      'kernel modules',
      'busybox, ndctl, daxctl, cxl',
      'busybox is static',
      'depmod',
      'setpriv (no orphaned QEMU)',
      'kernel decompressors',
      'kernel build tools',
      'accelerator',
    ]);
  });
});
