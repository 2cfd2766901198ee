import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../../src-shared/profile/validate';
import { errorsOf } from './refused';
import { buildQemuArgv, argvPreview } from '../../../src-main/qemu/argv';
import { ProfileSchema } from '../../../src-shared/profile/schema';

const base = { name: 't', machine: 'q35', memory: { size: '512M', slots: 4, maxmem: '4G' } };
const one = { windows: [{ size: '4G' }], devices: [{ id: 'cxl-pmem0', size: '256M', labels: '256K' }] };

describe('profile cxl', () => {
  it('accepts a window and a device, with a 256K label area by default', () => {
    const r = validateProfile({ ...base, cxl: { windows: [{ size: '4G' }], devices: [{ id: 'd0', size: '512M' }] } });
    expect(r.ok && r.value.cxl).toEqual({
      windows: [{ size: 4 * 2 ** 30 }],
      devices: [{ id: 'd0', size: 512 * 2 ** 20, labels: 256 * 2 ** 10 }],
    });
  });

  it('refuses CXL on pc, as QEMU refuses pxb-cxl there', () => {
    expect(errorsOf({ ...base, machine: 'pc', cxl: one })).toEqual([
      expect.objectContaining({ field: 'cxl', message: expect.stringContaining('needs machine: q35') }),
    ]);
  });

  it("refuses QEMU's window sizes and the sizes the guest could not see", () => {
    const errors = errorsOf({
      ...base,
      cxl: {
        windows: [{ size: '4G' }, { size: '300M' }, { size: 0 }],
        devices: [
          { id: 'd0', size: '200M' },
          { id: 'd1', size: '600M', labels: '4K' },
          { id: 'd0', size: '256M' },
        ],
      },
    });
    expect(errors).toEqual([
      { field: 'cxl.windows[1].size', message: expect.stringContaining('write 256M or 512M') },
      { field: 'cxl.windows[2].size', message: expect.stringContaining('write 256M') },
      { field: 'cxl.devices[0].size', message: expect.stringMatching(/cannot see 200M: write 256M$/) },
      { field: 'cxl.devices[1].size', message: expect.stringContaining('write 512M or 768M') },
      { field: 'cxl.devices[1].labels', message: expect.stringContaining('lsa property must be set') },
      { field: 'cxl.devices[2].id', message: 'duplicate id "d0"' },
    ]);
  });

  it("refuses windows that take the machine past the CPU's physical address bits, as QEMU does", () => {
    // QEMU 7.2: "Address space limit 0xffffffffff < 0x203ffffffff phys-bits too low (40)"
    expect(errorsOf({ ...base, cxl: { ...one, windows: [{ size: '1000G' }] } })).toEqual([
      { field: 'cxl.windows', message: expect.stringContaining('up to 0x203ffffffff but qemu64 under TCG has 40') },
    ]);
    expect(validateProfile({ ...base, cxl: { ...one, windows: [{ size: '512G' }] } }).ok).toBe(true);
  });

  it('refuses a CXL device id an NVDIMM already has', () => {
    const nvdimms = [{ id: 'cxl-pmem0', size: '1G' }];
    expect(errorsOf({ ...base, nvdimms, cxl: one })).toEqual([
      { field: 'cxl.devices[0].id', message: 'duplicate id "cxl-pmem0"' },
    ]);
  });
});

describe('cxl argv', () => {
  it('is the topology QEMU 7.2 booted: host bridge, root port, type-3 device, window', () => {
    const argv = argvPreview(ProfileSchema.parse({ ...base, cxl: one }));
    const after = (flag: string) => argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));
    expect(after('-machine')).toEqual(['q35,cxl=on,memory-backend=pc.ram']);
    expect(after('-object').slice(1)).toEqual([
      'memory-backend-file,id=cxl.mem.cxl-pmem0,share=on,mem-path=$RUN/cxl-pmem0.cxl.img,size=268435456',
      'memory-backend-file,id=cxl.lsa.cxl-pmem0,share=on,mem-path=$RUN/cxl-pmem0.lsa.img,size=262144',
    ]);
    expect(after('-device')).toEqual([
      'pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1',
      'cxl-rp,port=0,bus=cxl.1,id=cxl.rp0,chassis=0,slot=2',
      'cxl-type3,bus=cxl.rp0,memdev=cxl.mem.cxl-pmem0,lsa=cxl.lsa.cxl-pmem0,id=cxl-pmem0',
    ]);
    expect(after('-M')).toEqual(['cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4294967296']);
  });

  it('gives each device its own root port and each window its own index', () => {
    const two = {
      windows: [{ size: '1G' }, { size: '2G' }],
      devices: [
        { id: 'a', size: '256M' },
        { id: 'b', size: '256M' },
      ],
    };
    const argv = argvPreview(ProfileSchema.parse({ ...base, cxl: two }));
    expect(argv.filter((a) => a.startsWith('cxl-'))).toEqual([
      'cxl-rp,port=0,bus=cxl.1,id=cxl.rp0,chassis=0,slot=2',
      'cxl-type3,bus=cxl.rp0,memdev=cxl.mem.a,lsa=cxl.lsa.a,id=a',
      'cxl-rp,port=1,bus=cxl.1,id=cxl.rp1,chassis=0,slot=3',
      'cxl-type3,bus=cxl.rp1,memdev=cxl.mem.b,lsa=cxl.lsa.b,id=b',
      'cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=1073741824,cxl-fmw.1.targets.0=cxl.1,cxl-fmw.1.size=2147483648',
    ]);
  });

  it('refuses to start without backing files, and leaves machines without CXL alone', () => {
    const p = ProfileSchema.parse({ ...base, cxl: one });
    const paths = { kernel: 'k', initrd: 'i', consoleSocket: 'c', probeSocket: 'p', qmpSocket: 'q', nvdimmFiles: {} };
    expect(() => buildQemuArgv(p, 'tcg', paths)).toThrow(/cxl.devices\[0\]: no backing files prepared for cxl-pmem0/);
    const plain = buildQemuArgv(ProfileSchema.parse(base), 'tcg', paths);
    expect(plain.join(' ')).not.toMatch(/cxl/);
  });
});
