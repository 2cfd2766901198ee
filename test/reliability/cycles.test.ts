// Boot/stop cycles and guests side by side: nothing left behind, persistent
// NVDIMM images unchanged (their checksum before and after).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileSchema, type Profile } from '../../src-shared/profile/schema';
import { prepare, type Prepared } from '../../src-main/guest/lab';
import { Vm } from '../../src-main/guest/vm';
import { isolateRuntime, leaks, LONG, sha256 } from './leaks';

const CYCLES = LONG ? 100 : 20;
const PARALLEL = 4;
const profile: Profile = ProfileSchema.parse({
  name: 'rel-cycles',
  memory: { size: '1G', slots: 2, maxmem: '4G' },
  nvdimms: [{ id: 'nv0', size: '256M', labels: 'none', backing: 'persistent' }],
});
let prepared: Prepared;
let root: string;

beforeAll(async () => {
  root = isolateRuntime();
  prepared = await prepare(profile, { accel: 'tcg' });
});
afterAll(async () => expect(await leaks()).toEqual({ qemu: [], runtime: [] }));

const image = () => join(root, 'data/images/rel-cycles/nv0.img');

describe('boot/stop cycles', () => {
  it(`${CYCLES} cycles leave no QEMU, socket or runtime folder, and keep the persistent image`, async () => {
    const first = await Vm.boot({ profile, kit: prepared.kit, accel: 'tcg' });
    await first.stop();
    const before = sha256(image());
    for (let i = 0; i < CYCLES; i++) {
      const vm = await Vm.boot({ profile, kit: prepared.kit, accel: 'tcg' });
      const snap = await vm.snapshot();
      expect(snap.nd.regions).toHaveLength(1);
      await vm.stop();
      expect(vm.state).toBe('stopped');
      expect(await leaks(), `after cycle ${i + 1}`).toEqual({ qemu: [], runtime: [] });
    }
    expect(sha256(image())).toBe(before);
  });

  it(`${PARALLEL} guests at once boot, answer and stop cleanly`, async () => {
    const solo = ProfileSchema.parse({ ...profile, nvdimms: [{ id: 'nv0', size: '256M' }], name: 'rel-parallel' });
    const vms = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        Vm.boot({ profile: solo, kit: prepared.kit, accel: 'tcg', readyTimeoutMs: 120_000 }),
      ),
    );
    expect(new Set(vms.map((v) => v.pid)).size).toBe(PARALLEL);
    const snaps = await Promise.all(vms.map((v) => v.snapshot()));
    for (const s of snaps) expect(s.iomem).toContain('Persistent Memory');
    await Promise.all(vms.map((v) => v.stop()));
    expect(await leaks()).toEqual({ qemu: [], runtime: [] });
  });
});
