import { describe, expect, it } from 'vitest';
import { buildQemuArgv, type VmPaths } from '../../../src-main/qemu/argv';
import { qemuOptValue, QemuOptionError } from '../../../src-main/qemu/escape';
import { ProfileSchema, type Profile } from '../../../src-shared/profile/schema';
import { ramBackends } from '../../../src-main/guest/ram-files';

const paths: VmPaths = {
  kernel: '/k/vmlinux',
  initrd: '/k/initramfs.cpio',
  consoleSocket: '/r/console.sock',
  probeSocket: '/r/probe.sock',
  qmpSocket: '/r/qmp.sock',
  nvdimmFiles: { nvdimm0: '/r/nvdimm0.img' },
};
const ramBackendFiles = (p: Profile) =>
  Object.fromEntries([...ramBackends(p).keys()].map((id) => [id, `/shm/v1/${id}`]));
const opt = (argv: string[], flag: string) => argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));

describe('buildQemuArgv', () => {
  it('turns nvdimm-1g-labels into the machine the model predicts', () => {
    const p = ProfileSchema.parse({
      name: 'x',
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      nvdimms: [{ id: 'nvdimm0', size: '1G', labels: '128K' }],
    });
    const argv = buildQemuArgv(p, 'tcg', paths);
    expect(opt(argv, '-machine')).toEqual(['pc,nvdimm=on,memory-backend=pc.ram']);
    expect(opt(argv, '-m')).toEqual(['2048M,slots=4,maxmem=8192M']);
    expect(opt(argv, '-accel')).toEqual(['tcg']);
    expect(opt(argv, '-cpu')).toEqual(['qemu64,+rdrand']);
    expect(opt(argv, '-object')).toEqual([
      'memory-backend-ram,id=pc.ram,size=2048M,reserve=off',
      `memory-backend-file,id=mem-nvdimm0,share=on,mem-path=/r/nvdimm0.img,size=${2 ** 30 + 2 ** 21},align=2097152`,
    ]);
    expect(opt(argv, '-device')).toEqual(['nvdimm,id=nvdimm0,memdev=mem-nvdimm0,label-size=131072']);
    expect(argv).toContain('-nodefaults');
    expect(opt(argv, '-serial')).toEqual(['chardev:console', 'chardev:probe']);
    expect(opt(argv, '-append')[0]).toMatch(/^console=ttyS0 quiet panic=-1 /);
  });

  it('leaves nvdimm=off (QEMU default) without NVDIMMs, since it moves the e820 map by a page', () => {
    const p = ProfileSchema.parse({ name: 'x', memory: { size: '2G' }, kernelArgs: ['memmap=512M!1G'] });
    const argv = buildQemuArgv(p, 'kvm', paths);
    expect(opt(argv, '-machine')).toEqual(['pc,memory-backend=pc.ram']);
    expect(opt(argv, '-m')).toEqual(['2048M']);
    expect(opt(argv, '-cpu')).toEqual(['host']);
    expect(opt(argv, '-append')[0]).toMatch(/ memmap=512M!1G$/);
  });

  it('gives memory-only NUMA nodes no memdev and places NVDIMMs on their node', () => {
    const p = ProfileSchema.parse({
      name: 'x',
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      numa: [{ node: 0, cpus: '0-1', memory: '2G' }, { node: 1 }],
      nvdimms: [{ id: 'nvdimm0', size: '2G', node: 1 }],
    });
    const argv = buildQemuArgv(p, 'tcg', paths);
    expect(opt(argv, '-numa')).toEqual(['node,nodeid=0,memdev=ram-node0,cpus=0,cpus=1', 'node,nodeid=1']);
    expect(opt(argv, '-machine')).toEqual(['pc,nvdimm=on']);
    expect(opt(argv, '-object')[0]).toBe('memory-backend-ram,id=ram-node0,size=2048M,reserve=off');
    expect(opt(argv, '-device')).toEqual(['nvdimm,id=nvdimm0,memdev=mem-nvdimm0,node=1']);
  });

  it('maps guest RAM without reserving it, so a guest may be bigger than the host', () => {
    const p = ProfileSchema.parse({ name: 'x', memory: { size: '256G' } });
    const argv = buildQemuArgv(p, 'tcg', paths);
    expect(opt(argv, '-machine')).toEqual(['pc,memory-backend=pc.ram']);
    expect(opt(argv, '-object')).toEqual(['memory-backend-ram,id=pc.ram,size=262144M,reserve=off']);
  });

  it('puts a checkpointed guest’s RAM in shared files, one per RAM backend, never the NVDIMMs’ own', () => {
    const p = ProfileSchema.parse({
      name: 'x',
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      numa: [
        { node: 0, cpus: '0-1', memory: '1G' },
        { node: 1, memory: '1G' },
      ],
      nvdimms: [{ id: 'nvdimm0', size: '1G', node: 1 }],
      virtioMem: [{ id: 'vmem0', size: '1G', node: 1 }],
    });
    const ramFiles = ramBackendFiles(p);
    const argv = buildQemuArgv(p, 'tcg', { ...paths, ramFiles });
    expect(Object.keys(ramFiles)).toEqual(['ram-node0', 'ram-node1', 'mem-vmem0']);
    expect(opt(argv, '-object').filter((o) => o.includes('/shm/'))).toEqual([
      'memory-backend-file,id=ram-node0,size=1024M,mem-path=/shm/v1/ram-node0,share=on',
      'memory-backend-file,id=ram-node1,size=1024M,mem-path=/shm/v1/ram-node1,share=on',
      'memory-backend-file,id=mem-vmem0,size=1024M,mem-path=/shm/v1/mem-vmem0,share=on',
    ]);
    expect(opt(argv, '-object').filter((o) => o.includes('id=mem-nvdimm0'))).toEqual([
      expect.stringMatching(/^memory-backend-file,id=mem-nvdimm0,share=on,mem-path=\/r\/nvdimm0.img,/),
    ]);
  });

  it('doubles commas in paths so they cannot add QEMU sub-options', () => {
    const p = ProfileSchema.parse({
      name: 'x',
      memory: { size: '2G', slots: 4, maxmem: '8G' },
      nvdimms: [{ id: 'nvdimm0', size: '1G' }],
    });
    const argv = buildQemuArgv(p, 'tcg', { ...paths, nvdimmFiles: { nvdimm0: '/a,share=off,mem-path=/etc/x' } });
    expect(opt(argv, '-object').at(-1)).toContain('mem-path=/a,,share=off,,mem-path=/etc/x,size=');
  });

  it('refuses control characters and commas where QEMU cannot escape them', () => {
    expect(() => qemuOptValue('nvdimms[0]', 'a\nb')).toThrow(QemuOptionError);
    expect(() =>
      buildQemuArgv(ProfileSchema.parse({ name: 'x', memory: { size: '1G' } }), 'tcg', {
        ...paths,
        kernel: '/x,y/vmlinux',
      }),
    ).toThrow(/kernel: .*comma/);
  });
});
