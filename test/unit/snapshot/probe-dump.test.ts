import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbeDump } from '../../../src-shared/snapshot/probe-dump';
import { formatIomemLine, parseIomem } from '../../../src-shared/snapshot/iomem';

// Dumps recorded from real guests by test/fixtures/record.ts.
const REAL = join(import.meta.dirname, '../../fixtures/real');
const dump = (scenario: string, n: number) =>
  readFileSync(join(REAL, scenario, `${String(n).padStart(2, '0')}.dump`), 'utf8');

describe('parseProbeDump on recorded guests', () => {
  it('reads the CXL bus: where each device sits (C lines) and its attributes', () => {
    const s = parseProbeDump(dump('cxl-pmem', 1));
    expect(s.problems).toEqual([]);
    const cxl = s.cxl!;
    expect(cxl.decoders.map((d) => [d.name, d.port, d.kind])).toEqual([
      ['decoder0.0', 'root0', 'root'],
      ['decoder1.0', 'port1', 'switch'],
      ['decoder2.0', 'endpoint2', 'endpoint'],
    ]);
    expect(cxl.decoders[0]).toMatchObject({ start: 0x2f0000000, size: 2 ** 32, nextRegion: 'region1' });
    expect(cxl.decoders[2]).toMatchObject({ region: 'region0', mode: 'pmem', dpaResource: 0, dpaSize: 2 ** 28 });
    expect(cxl.regions).toEqual([
      {
        name: 'region0',
        decoder: 'decoder0.0',
        resource: 0x2f0000000,
        size: 2 ** 28,
        interleaveWays: 1,
        interleaveGranularity: 256,
        commit: true,
        targets: ['decoder2.0'],
        enabled: true,
      },
    ]);
    expect(cxl.memdevs).toEqual([
      {
        name: 'mem0',
        endpoint: 'endpoint2',
        pci: '0000:0d:00.0',
        rootPort: '0000:0c:00.0',
        pmemSize: 2 ** 28,
        labelStorageSize: 262144,
        serial: 0,
        numaNode: -1,
      },
    ]);
  });

  it('reads a decoder without capacity: dpa_resource all ones is -1', () => {
    const d = parseProbeDump(dump('cxl-pmem', 0)).cxl!.decoders.find((x) => x.kind === 'endpoint')!;
    expect(d).toMatchObject({ mode: 'none', dpaResource: -1, dpaSize: 0, region: '' });
  });

  it("reads QEMU's virtio-mem devices from the V lines the lab appends", () => {
    const s = parseProbeDump(dump('virtio-mem-resize', 4));
    expect(s.problems).toEqual([]);
    expect(s.virtioMem).toEqual([
      {
        id: 'vm0',
        memaddr: 2 ** 32,
        maxSize: 2 ** 30,
        blockSize: 2 ** 21,
        size: 104857600,
        requestedSize: 104857600,
        node: 0,
      },
    ]);
    expect(parseProbeDump(dump('kmem-labels', 0)).virtioMem).toBeUndefined();
  });

  it('reads the boot state of nvdimm-1g-labels', () => {
    const s = parseProbeDump(dump('kmem-labels', 0));
    expect(s.problems).toEqual([]);
    expect(s.kernel).toBe('6.1.0-56-amd64');
    expect(s.blockSizeBytes).toBe(0x8000000);
    expect(s.autoOnlineBlocks).toBe('offline');
    expect(s.memoryBlocks).toHaveLength(16);
    expect(s.memoryBlocks[0]).toEqual({ id: 0, state: 'online', removable: true, zones: 'none', node: 0 });
    expect(s.memoryBlocks[15]).toEqual({ id: 15, state: 'online', removable: true, zones: 'DMA32', node: 0 });
    expect(s.nd.regions).toEqual([
      {
        name: 'region0',
        size: 2 ** 30,
        align: 0x1000000,
        available: 2 ** 30,
        numaNode: 0,
        targetNode: 0,
        devtype: 'nd_pmem',
      },
    ]);
    expect(s.nd.namespaces).toEqual([{ name: 'namespace0.0', region: 'region0', mode: 'raw', size: 2 ** 30 }]);
    expect(s.numa.nodes).toEqual([
      { id: 0, cpus: '0,1', memTotalKiB: expect.any(Number), blocks: [...Array(16).keys()] },
    ]);
    expect(s.iomem.split('\n')[0]).toBe('00000000-00000fff : Reserved');
  });

  it('reads devdax and kmem bindings and the namespace holder', () => {
    const dev = parseProbeDump(dump('kmem-labels', 1));
    expect(dev.dax.devices).toEqual([
      { name: 'dax0.0', size: 1006 * 2 ** 20, targetNode: 0, driver: 'device_dax', mode: 'devdax' },
    ]);
    // sysfs says "dax" where ndctl says "devdax"; the snapshot keeps the kernel's word.
    expect(dev.nd.namespaces[0]).toMatchObject({ mode: 'dax', size: 2 ** 30, holder: 'dax0.0' });
    const kmem = parseProbeDump(dump('kmem-labels', 2));
    expect(kmem.dax.devices[0]).toMatchObject({ driver: 'kmem', mode: 'system-ram' });
    expect(kmem.memoryBlocks.filter((b) => b.zones === 'Movable').map((b) => b.id)).toEqual([
      33, 34, 35, 36, 37, 38, 39,
    ]);
  });

  it('puts kmem memory on memory-only node 1', () => {
    const s = parseProbeDump(dump('numa-pmem-node', 2));
    expect(s.numa.nodes.map((n) => [n.id, n.cpus])).toEqual([
      [0, '0,1'],
      [1, ''],
    ]);
    // dax0.0 starts 34 MiB in (0x102200000); kmem rounds up to block 33 (0x108000000) and ends with block 47.
    const blocks = Array.from({ length: 15 }, (_, i) => 33 + i);
    expect(s.numa.nodes[1]!.blocks).toEqual(blocks);
    expect(s.memoryBlocks.filter((b) => b.node === 1).map((b) => b.id)).toEqual(blocks);
  });

  it('never throws on garbage or truncation, and says what it could not read', () => {
    const real = dump('kmem-labels', 2);
    for (let cut = 0; cut < real.length; cut += 97) {
      const s = parseProbeDump(real.slice(0, cut));
      expect(Array.isArray(s.problems)).toBe(true);
    }
    const noisy = parseProbeDump('K 6.1\n[   12.345678] kmem dax0.0: mapping0: 0x108000000-0x13fffffff\nB x y\nG zz\n');
    expect(noisy.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/line 2: cannot read/),
        expect.stringMatching(/line 3/),
        expect.stringMatching(/block_size_bytes/),
        expect.stringMatching(/iomem/),
      ]),
    );
  });
});

describe('parseProbeDump: kernel messages', () => {
  it('reads the messages of a step, without timestamps or dictionaries', () => {
    const boot = parseProbeDump(dump('kmem-too-small', 0)).log!;
    expect(boot[0]).toMatch(/^Linux version 6\.1\./);
    expect(boot).toContain('BIOS-provided physical RAM map:');
    expect(boot.filter((l) => /^\s*(SUBSYSTEM|DEVICE)=/.test(l))).toEqual([]);
    expect(parseProbeDump(dump('kmem-too-small', 5)).log).toEqual(
      expect.arrayContaining([
        'kmem dax0.0: mapping0: 0x100200000-0x103ffffff too small after alignment',
        'kmem: probe of dax0.0 failed with error -22',
      ]),
    );
  });

  it("undoes /dev/kmsg's \\xNN escapes (control characters, bytes above 126, the backslash)", () => {
    const s = parseProbeDump('K 6.1\nD a\\x5cb\\x09c caf\\xc3\\xa9\nD \n');
    expect(s.log).toEqual(['a\\b\tc café', '']);
    expect(parseProbeDump('K 6.1\n').log).toEqual([]);
  });
});

describe('parseIomem', () => {
  it('keeps depth, range and name, and prints them back byte for byte', () => {
    const text = parseProbeDump(dump('kmem-labels', 2)).iomem;
    const { lines, problems } = parseIomem(text);
    expect(problems).toEqual([]);
    expect(lines).toContainEqual({ depth: 2, start: 0x108000000, end: 0x13fffffff, name: 'System RAM (kmem)' });
    expect(lines.map(formatIomemLine).join('\n') + '\n').toBe(text);
  });

  it('pads start and end to 8 digits each, as the kernel does', () => {
    expect(formatIomemLine({ depth: 0, start: 0x80000000, end: 0x17fffffff, name: 'x' })).toBe(
      '80000000-17fffffff : x',
    );
    expect(formatIomemLine({ depth: 1, start: 0x1000, end: 0x9fbff, name: 'System RAM' })).toBe(
      '  00001000-0009fbff : System RAM',
    );
  });

  it('reports lines it cannot read and keeps the rest', () => {
    const { lines, problems } = parseIomem(
      '00000000-00000fff : Reserved\n[ 1.0] random kernel message\n   00001000-00001fff : odd indent\nzzzz-1 : x\n' +
        '00002000-00002fff : ok\n',
    );
    expect(lines.map((l) => l.name)).toEqual(['Reserved', 'ok']);
    expect(problems).toHaveLength(3);
  });
});
