// A user's kernel compressed with zstd, lz4 or bzip2 unpacks to the very ELF
// it was built from; a missing decompressor is named with its package.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { extractVmlinux, PAYLOADS, unpackFile, withoutZeroTails } from '../../../src-main/kit/vmlinux';
import { COMPRESSORS, compress, fakeBzImage, hostVmlinux, pathWithout } from './images';

describe('extractVmlinux', () => {
  let host: Awaited<ReturnType<typeof hostVmlinux>>;
  beforeAll(async () => {
    host = await hostVmlinux();
  }, 120_000);
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(Object.entries(COMPRESSORS))(
    'recovers the identical ELF from a %s-compressed image with trailing bytes',
    async (name, compressor) => {
      const { elf, compression } = await extractVmlinux(fakeBzImage(host.elf, compressor, host.image));
      expect(compression).toBe(name);
      expect(elf.length).toBe(host.elf.length);
      expect(elf.equals(host.elf)).toBe(true);
    },
    120_000,
  );

  it('names the missing tool and its package instead of finding no payload', async () => {
    const image = fakeBzImage(host.elf, COMPRESSORS.zstd, host.image);
    const { path, remove } = await pathWithout('zstd');
    try {
      vi.stubEnv('PATH', path);
      const e = await extractVmlinux(image).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(e?.message).toMatch(/payload looks zstd-compressed \(magic at byte 640\), but zstd is not installed/);
      expect(e?.message).toMatch(/fix: apt-get install -y --no-install-recommends zstd$/);
    } finally {
      remove();
    }
  }, 60_000);

  it('does not blame a missing tool for magic bytes that occur by chance before the real payload', async () => {
    const strayZstdMagic = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
    const image = Buffer.concat([strayZstdMagic, fakeBzImage(host.elf, COMPRESSORS.lz4, host.image)]);
    const { path, remove } = await pathWithout('zstd');
    try {
      vi.stubEnv('PATH', path);
      const { elf, compression } = await extractVmlinux(image);
      expect(compression).toBe('lz4');
      expect(elf.equals(host.elf)).toBe(true);
    } finally {
      remove();
    }
  }, 60_000);
});

/** The PT_LOAD program headers: file offset and file size. */
function loads(elf: Buffer): { offset: number; fileSize: number }[] {
  const phoff = Number(elf.readBigUInt64LE(0x20));
  return Array.from({ length: elf.readUInt16LE(0x38) }, (_, i) => phoff + i * elf.readUInt16LE(0x36))
    .filter((ph) => elf.readUInt32LE(ph) === 1)
    .map((ph) => ({ offset: Number(elf.readBigUInt64LE(ph + 8)), fileSize: Number(elf.readBigUInt64LE(ph + 32)) }));
}

describe('withoutZeroTails', () => {
  it("leaves out only the zeros that end the host kernel's segments", async () => {
    const { elf } = await hostVmlinux();
    const before = Buffer.from(elf);
    const trimmed = withoutZeroTails(elf);
    expect(elf.equals(before)).toBe(true); // a copy: the input is untouched
    const was = loads(elf);
    const now = loads(trimmed);
    expect(now.length).toBe(was.length);
    now.forEach((seg, i) => {
      const old = was[i]!;
      expect(seg.offset).toBe(old.offset);
      expect(seg.fileSize).toBeLessThanOrEqual(old.fileSize);
      // what QEMU now zero-fills was zeros; what it still reads ends in a byte that is not
      const cut = elf.subarray(seg.offset + seg.fileSize, old.offset + old.fileSize);
      expect(cut.every((b) => b === 0)).toBe(true);
      if (seg.fileSize > 0) expect(elf[seg.offset + seg.fileSize - 1]).not.toBe(0);
    });
    // Debian's kernel carries its .bss as file bytes: megabytes less to read
    const total = (segs: { fileSize: number }[]) => segs.reduce((a, s) => a + s.fileSize, 0);
    expect(total(was) - total(now)).toBeGreaterThan(1 << 20);
  }, 120_000);
});

describe('unpackFile (compressed modules)', () => {
  const zstd = PAYLOADS.find((p) => p.name === 'zstd')!;
  const module = Buffer.from('\x7fELF a module that ends in a newline\n');

  it('returns the exact bytes, and fails on a corrupt file or a missing tool with its package', async () => {
    const packed = compress(module, COMPRESSORS.zstd);
    expect((await unpackFile(zstd, packed, 'pmem.ko.zst')).equals(module)).toBe(true);
    await expect(unpackFile(zstd, packed.subarray(0, packed.length - 4), 'pmem.ko.zst')).rejects.toThrow(
      /zstd could not decompress pmem.ko.zst/,
    );
    const { path, remove } = await pathWithout('zstd');
    try {
      vi.stubEnv('PATH', path);
      await expect(unpackFile(zstd, packed, 'pmem.ko.zst')).rejects.toThrow(
        new RegExp(
          'cannot decompress pmem.ko.zst: zstd is not installed\n {2}fix: ' +
            'apt-get install -y --no-install-recommends zstd$',
        ),
      );
    } finally {
      vi.unstubAllEnvs();
      remove();
    }
  });
});
