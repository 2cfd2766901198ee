import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostMemory, hostMemory } from '../../../src-main/guest/host-memory';
import { estimatedHostRss, QEMU_BASE_RSS } from '../../../src-shared/profile/cost';
import { ProfileSchema } from '../../../src-shared/profile/schema';
import { GiB } from '../../../src-shared/units';

const profile = (size: string) => ProfileSchema.parse({ name: 'x', memory: { size } });
const host = { total: 24 * GiB, available: 20 * GiB };

describe('what a guest costs its host', () => {
  it('is QEMU plus 1/60 of guest RAM, mostly its struct pages, at least what was measured here', () => {
    expect(estimatedHostRss(profile('240G'))).toBe(QEMU_BASE_RSS + 4 * GiB);
    // VmRSS of QEMU 3 s after the shell came up (README "Big guests")
    expect(estimatedHostRss(profile('2G'))).toBeGreaterThanOrEqual(371796 * 1024);
    expect(estimatedHostRss(profile('64G'))).toBeGreaterThanOrEqual(1522696 * 1024);
    // the same guest with the cxl tool and the CXL modules in the kit (2026-11-27)
    expect(estimatedHostRss(profile('64G'))).toBeGreaterThanOrEqual(1565941760);
    expect(estimatedHostRss(profile('256G'))).toBeGreaterThanOrEqual(4791808 * 1024);
  });

  it('says nothing for a guest the host holds, says the cost of one bigger than the host', () => {
    expect(checkHostMemory(profile('2G'), host)).toBeUndefined();
    expect(checkHostMemory(profile('256G'), host)).toMatch(/256.0 GiB guest costs the host about 4.[67] GiB/);
  });

  it('refuses, naming memory.size, a guest whose struct pages alone the host cannot hold', () => {
    let err: unknown;
    try {
      checkHostMemory(profile('1000G'), { total: 24 * GiB, available: 10 * GiB });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ field: 'memory.size', message: expect.stringMatching(/only 10.0 GiB is available/) });
  });

  it('reads MemTotal and MemAvailable from /proc/meminfo', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meminfo-')), 'meminfo');
    writeFileSync(file, 'MemTotal:       24000000 kB\nMemFree:  1 kB\nMemAvailable:   23000000 kB\n');
    expect(await hostMemory(file)).toEqual({ total: 24000000 * 1024, available: 23000000 * 1024 });
  });
});
