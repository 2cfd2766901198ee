// A persistent NVDIMM keeps its labels and namespaces across a reboot, like
// real pmem, and the lab never deletes or corrupts its image.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../src-shared/profile/schema';
import { prepare } from '../../src-main/guest/lab';
import { Vm } from '../../src-main/guest/vm';

const imagesDir = mkdtempSync(join(tmpdir(), 'pmem-images-'));
afterAll(() => rmSync(imagesDir, { recursive: true, force: true }));

const profile = ProfileSchema.parse({
  name: 'persist',
  memory: { size: '2G', slots: 4, maxmem: '8G' },
  nvdimms: [{ id: 'nvdimm0', size: '1G', labels: '128K', backing: 'persistent' }],
});
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('persistent NVDIMM', () => {
  it('keeps labels and a namespace across a reboot, and its image after stop', async () => {
    const p = await prepare(profile, { accel: 'tcg' });
    let vm = await Vm.boot({ profile, kit: p.kit, accel: p.accel.accel, imagesDir });
    let uuid: string | undefined;
    try {
      for (const cmd of [
        'ndctl disable-region region0',
        'ndctl init-labels -f all',
        'ndctl enable-region region0',
        'ndctl create-namespace -r region0 -m fsdax -s 256M',
      ]) {
        const r = await vm.run(cmd);
        expect(r.exitCode, `${cmd}: ${r.output}`).toBe(0);
      }
      uuid = (await vm.snapshot()).nd.namespaces.find((n) => n.size > 0)?.uuid;
      expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await vm.stop();
    }
    const image = join(imagesDir, 'nvdimm0.img');
    expect(existsSync(image)).toBe(true);

    vm = await Vm.boot({ profile, kit: p.kit, accel: p.accel.accel, imagesDir });
    try {
      const s = await vm.snapshot();
      // sysfs names fsdax "memory" (its pre-ndctl name); the snapshot keeps the kernel's word.
      expect(s.nd.namespaces.find((n) => n.uuid === uuid)).toMatchObject({ size: 256 * 2 ** 20, mode: 'memory' });
    } finally {
      await vm.stop();
    }
    // The guest kernel may write to its pmem on boot (info blocks, label sequence numbers): the image stays, whole.
    expect(statSync(image).size).toBe(2 ** 30 + 2 ** 21);
  });

  it('refuses a profile whose size no longer matches the kept image, naming the field; keeps the image', async () => {
    const p = await prepare(profile, { accel: 'tcg' });
    const bigger = ProfileSchema.parse({ ...profile, nvdimms: [{ ...profile.nvdimms[0]!, size: 2 ** 31 }] });
    const image = join(imagesDir, 'nvdimm0.img');
    const before = sha(image);
    await expect(Vm.boot({ profile: bigger, kit: p.kit, accel: p.accel.accel, imagesDir })).rejects.toThrow(
      /nvdimms\[0\]\.size: .*never deletes it/,
    );
    expect(sha(image)).toBe(before);
  });
});
