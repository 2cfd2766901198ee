import { describe, expect, it } from 'vitest';
import { profileNotices } from '../../../src-shared/profile/notices';
import { validateProfile } from '../../../src-shared/profile/validate';

const profile = (nvdimms: object[], extra: object = {}) => {
  const r = validateProfile({ name: 't', memory: { size: '2G', slots: 4, maxmem: '16G' }, nvdimms, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('profile notices: what QEMU and the guest make of each NVDIMM', () => {
  it('says why 1000M, legal for QEMU, cannot become one devdax namespace in the guest', () => {
    expect(profileNotices(profile([{ id: 'nv0', size: '1000M', labels: '128K' }]))).toEqual([
      {
        field: 'nvdimms[0].size',
        message:
          'QEMU gives the guest a 1000M region; its 128K label area takes 2M more of the backing file. ' +
          'The guest kernel aligns the region to 16M (drivers/nvdimm/region_devs.c default_align) and 1000M is not ' +
          'a multiple of it: `ndctl create-namespace -f -e namespace0.0 -m devdax` is refused; ' +
          '992M or 1008M would not be',
      },
    ]);
  });

  it('counts what kmem makes System RAM of, in whole memory blocks, for each NVDIMM on its own field', () => {
    const notices = profileNotices(
      profile([
        { id: 'a', size: '1G' },
        { id: 'b', size: '256M', labels: '128K' },
      ]),
    );
    expect(notices.map((n) => n.field)).toEqual(['nvdimms[0].size', 'nvdimms[1].size']);
    // QEMU's NFIT lists "b" first (model/platform/nfit-order.ts): the guest calls its region region0
    expect(notices[0]!.message).toBe(
      'QEMU gives the guest a 1G region. As devdax (`ndctl create-namespace -f -e namespace1.0 -m devdax`) it is a ' +
        '1006M dax device after its page map; kmem hot-adds only whole 128M memory blocks: 896M of System RAM',
    );
    expect(notices[1]!.message).toContain('namespace0.0');
    expect(notices[1]!.message).toContain('a 250M dax device after its page map');
    expect(notices[1]!.message).toContain(': 128M of System RAM');
  });

  it("passes on the model's reason when the guest refuses a step, and tells none without NVDIMMs", () => {
    const [small] = profileNotices(profile([{ id: 'nv0', size: '128M' }]));
    expect(small!.message).toMatch(
      /124M dax device .*`daxctl reconfigure-device --mode=system-ram dax0.0` is refused: nothing is left once the/,
    );
    expect(profileNotices(profile([]))).toEqual([]);
  });

  it('says so when the model cannot lay the machine out, instead of failing the check', () => {
    const over = profile([{ id: 'nv0', size: '1G' }], { kernelArgs: ['memmap=512M!4G'] });
    expect(profileNotices(over)).toEqual([
      {
        field: 'nvdimms',
        message: expect.stringMatching(/^the model cannot tell .*: region at 0x100000000 conflicts/),
      },
    ]);
  });
});
