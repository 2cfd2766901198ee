// The model's boot /proc/iomem for CXL profiles against three real guests
// (test/fixtures/cxl-boot/README.md), line for line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '../../../src-shared/model';
import { printIomem } from '../../../src-shared/model/kernel/iomem';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const FIXTURES = join(import.meta.dirname, '../../fixtures/cxl-boot');
const real = (file: string) => readFileSync(join(FIXTURES, file), 'utf8').trimEnd().split('\n');
const model = (p: object) =>
  printIomem(createModel(ProfileSchema.parse({ name: 't', machine: 'q35', ...p })).state.kernel.root)
    .trimEnd()
    .split('\n');
const dev = (id: string, size: string, labels = '256K') => ({ id, size, labels });

describe('the boot iomem of a CXL guest', () => {
  it('one device on one root port: no host bridge registers, pcie.0 cut around the pxb', () => {
    const p = { memory: { size: '512M', slots: 4, maxmem: '4G' } };
    expect(model({ ...p, cxl: { windows: [{ size: '4G' }], devices: [dev('cxl-pmem0', '256M')] } })).toEqual(
      real('one-device.iomem'),
    );
  });

  it("two devices: two root ports, the host bridge's port1, two windows", () => {
    const cxl = {
      windows: [{ size: '1G' }, { size: '2G' }],
      devices: [dev('cxl-pmem0', '256M'), dev('cxl-pmem1', '512M', '128K')],
    };
    expect(model({ memory: { size: '2G', slots: 4, maxmem: '8G' }, cxl })).toEqual(real('two-devices.iomem'));
  });

  it('no device memory: the window follows RAM above 4 GiB', () => {
    const cxl = { windows: [{ size: '512M' }], devices: [dev('a', '256M')] };
    expect(model({ memory: { size: '3G' }, cxl })).toEqual(real('no-device-memory.iomem'));
  });
});
