import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCpio } from '../../../src-main/kit/cpio';
import { planModules } from '../../../src-main/kit/modules';
import { hasPvhNote, isElf } from '../../../src-main/kit/vmlinux';

describe('writeCpio', () => {
  it('writes a newc archive that cpio itself unpacks', () => {
    const archive = writeCpio([
      { path: 'bin', type: 'dir' },
      { path: '/bin/hello', type: 'file', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { path: 'bin/sh', type: 'symlink', target: 'busybox' },
      { path: 'etc/odd', type: 'file', data: Buffer.from('x') },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'cpio-'));
    try {
      execFileSync('cpio', ['-idm', '--quiet'], { cwd: dir, input: archive });
      expect(readFileSync(join(dir, 'bin/hello'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
      expect(statSync(join(dir, 'bin/hello')).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(dir, 'bin/sh'))).toBe('busybox');
      expect(readFileSync(join(dir, 'etc/odd'), 'utf8')).toBe('x');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('planModules', () => {
  // The relevant lines of Debian 6.1's modules.dep.
  const dep = [
    'kernel/drivers/nvdimm/libnvdimm.ko:',
    'kernel/drivers/nvdimm/nd_pmem.ko: kernel/drivers/nvdimm/nd_btt.ko kernel/drivers/nvdimm/libnvdimm.ko',
    'kernel/drivers/nvdimm/nd_btt.ko: kernel/drivers/nvdimm/libnvdimm.ko',
    'kernel/drivers/dax/kmem.ko:',
    'kernel/drivers/virtio/virtio_mem.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko',
    'kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko',
    'kernel/drivers/virtio/virtio_ring.ko:',
  ].join('\n');

  it('loads every module after its dependencies, once', () => {
    const plan = planModules(dep, '', ['nd_pmem', 'virtio-mem', 'kmem']);
    expect(plan.load).toEqual([
      'kernel/drivers/nvdimm/libnvdimm.ko',
      'kernel/drivers/nvdimm/nd_btt.ko',
      'kernel/drivers/nvdimm/nd_pmem.ko',
      'kernel/drivers/virtio/virtio_ring.ko',
      'kernel/drivers/virtio/virtio.ko',
      'kernel/drivers/virtio/virtio_mem.ko',
      'kernel/drivers/dax/kmem.ko',
    ]);
  });

  it('ships test_hmm for modprobe when the kernel has it, loading nothing for it at boot', () => {
    expect(planModules(dep, '', ['kmem']).onDemand).toEqual([]);
    const hmm = `${dep}\nkernel/lib/test_hmm.ko: kernel/drivers/nvdimm/libnvdimm.ko`;
    const plan = planModules(hmm, '', ['kmem']);
    expect(plan.load).toEqual(['kernel/drivers/dax/kmem.ko']);
    // what it needs comes with it, after the boot modules
    expect(plan.onDemand).toEqual(['kernel/drivers/nvdimm/libnvdimm.ko', 'kernel/lib/test_hmm.ko']);
  });

  it('ships the CXL drivers apart, for boots that have CXL, and makes a kit without them', () => {
    expect(planModules(dep, '', ['kmem']).cxl).toEqual([]);
    const cxl = [
      dep,
      'kernel/drivers/cxl/cxl_pci.ko:',
      'kernel/drivers/cxl/cxl_mem.ko:',
      'kernel/drivers/cxl/cxl_acpi.ko:',
      'kernel/drivers/cxl/cxl_pmem.ko: kernel/drivers/nvdimm/libnvdimm.ko',
    ].join('\n');
    const plan = planModules(cxl, '', ['nd_pmem']);
    expect(plan.load).toEqual([
      'kernel/drivers/nvdimm/libnvdimm.ko',
      'kernel/drivers/nvdimm/nd_btt.ko',
      'kernel/drivers/nvdimm/nd_pmem.ko',
    ]);
    expect(plan.cxl).toEqual([
      'kernel/drivers/cxl/cxl_acpi.ko',
      'kernel/drivers/cxl/cxl_pci.ko',
      'kernel/drivers/cxl/cxl_mem.ko',
      'kernel/drivers/cxl/cxl_pmem.ko',
    ]);
    // without libnvdimm among the boot modules, cxl_pmem brings it along
    expect(planModules(cxl, '', ['kmem']).cxl.slice(3)).toEqual([
      'kernel/drivers/nvdimm/libnvdimm.ko',
      'kernel/drivers/cxl/cxl_pmem.ko',
    ]);
  });

  it('skips built-ins and names the modules a kernel lacks', () => {
    expect(planModules(dep, 'kernel/drivers/acpi/nfit/nfit.ko\n', ['nfit']).builtin).toEqual(['nfit']);
    expect(() => planModules(dep, '', ['device_dax'])).toThrow(/no module for device_dax/);
  });
});

describe('vmlinux', () => {
  it('finds the PVH entry note in an ELF with one and not in one without', () => {
    const elf = (withNote: boolean) => {
      // A minimal 64-bit ELF: header, one PT_NOTE program header, one note.
      const name = Buffer.from('Xen\0');
      const note = Buffer.alloc(12 + 4 + 8);
      note.writeUInt32LE(4, 0);
      note.writeUInt32LE(8, 4);
      note.writeUInt32LE(withNote ? 18 : 17, 8);
      name.copy(note, 12);
      const b = Buffer.alloc(64 + 56 + note.length);
      b.write('\x7fELF', 0, 'latin1');
      b.writeUInt8(2, 4);
      b.writeBigUInt64LE(64n, 0x20);
      b.writeUInt16LE(56, 0x36);
      b.writeUInt16LE(1, 0x38);
      b.writeUInt32LE(4, 64);
      b.writeBigUInt64LE(120n, 64 + 8);
      b.writeBigUInt64LE(BigInt(note.length), 64 + 32);
      note.copy(b, 120);
      return b;
    };
    expect(isElf(elf(true))).toBe(true);
    expect(hasPvhNote(elf(true))).toBe(true);
    expect(hasPvhNote(elf(false))).toBe(false);
  });
});
