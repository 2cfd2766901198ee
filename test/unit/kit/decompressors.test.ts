// The doctor's decompressor check against the real tools, the real host
// kernel, and /boot folders holding images built with the real compressors.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkDecompressors, kernelCompression } from '../../../src-main/kit/decompressors';
import { hostKernel } from '../../../src-main/kit/sources';
import { COMPRESSORS, compress, pathWithout } from './images';

/** A /boot and /lib/modules with one kernel, 6.99-test, whose image is `image` and whose config is `config`. */
function bootDir(image: Buffer, config = ''): { bootDir: string; modulesRoot: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'kit-boot-'));
  mkdirSync(join(root, 'boot'));
  mkdirSync(join(root, 'modules', '6.99-test'), { recursive: true });
  writeFileSync(join(root, 'boot', 'vmlinuz-6.99-test'), image);
  if (config) writeFileSync(join(root, 'boot', 'config-6.99-test'), config);
  return {
    bootDir: join(root, 'boot'),
    modulesRoot: join(root, 'modules'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A bzImage setup header (boot protocol 2.15) whose payload_offset points at `payload`. */
function withHeader(payload: Buffer): Buffer {
  const setup = Buffer.alloc(2 * 512); // setup_sects = 1: protected-mode code starts at byte 1024
  setup[0x1f1] = 1;
  setup.write('HdrS', 0x202, 'latin1');
  setup.writeUInt16LE(0x20f, 0x206);
  setup.writeUInt32LE(0x40, 0x248);
  return Buffer.concat([setup, Buffer.alloc(0x40, 0x90), payload]);
}

describe('checkDecompressors', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('finds every tool here, reads the host kernel compression from its header as its config names it', async () => {
    const k = await hostKernel();
    const config = readFileSync(join(dirname(k.image), `config-${k.release}`), 'utf8');
    const compression = /^CONFIG_KERNEL_(\w+)=y$/m.exec(config)![1]!.toLowerCase();
    expect(await checkDecompressors()).toEqual({
      status: 'ok',
      detail: `xz, zstd, lz4, bzip2 present; the host kernel ${k.release} is ${compression}-compressed`,
    });
    expect(await kernelCompression(k.image, '/nonexistent')).toBe(compression); // the header alone
  });

  it('warns about a missing tool the host kernel does not need, with its package', async () => {
    const { path, remove } = await pathWithout('zstd', 'lz4');
    const boot = bootDir(withHeader(compress(Buffer.from('\x7fELF not really'), ['xz', '-c'])));
    try {
      vi.stubEnv('PATH', path);
      expect(await checkDecompressors(boot)).toEqual({
        status: 'warn',
        detail:
          'xz, bzip2 present; zstd, lz4 missing (kernels compressed with them cannot boot); the host kernel ' +
          '6.99-test is xz-compressed',
        fix: 'apt-get install -y --no-install-recommends zstd lz4',
      });
    } finally {
      remove();
      boot.remove();
    }
  });

  it('reports a miss when the host kernel needs the missing tool', async () => {
    const { path, remove } = await pathWithout('zstd');
    const boot = bootDir(withHeader(compress(Buffer.from('\x7fELF not really'), COMPRESSORS.zstd)));
    try {
      vi.stubEnv('PATH', path);
      expect(await checkDecompressors(boot)).toEqual({
        status: 'miss',
        detail:
          'xz, lz4, bzip2 present; zstd missing (kernels compressed with it cannot boot); the host kernel ' +
          '6.99-test is zstd-compressed and cannot be unpacked without zstd',
        fix: 'apt-get install -y --no-install-recommends zstd',
      });
    } finally {
      remove();
      boot.remove();
    }
  });

  it('falls back to the kernel config when the image tells nothing, and knows lzo is beyond the kit', async () => {
    const boot = bootDir(Buffer.alloc(4096), '# CONFIG_KERNEL_XZ is not set\nCONFIG_KERNEL_LZO=y\n');
    try {
      expect(await checkDecompressors(boot)).toEqual({
        status: 'miss',
        detail:
          'xz, zstd, lz4, bzip2 present; the host kernel 6.99-test is lzo-compressed, which the kit cannot unpack: ' +
          'pass --kernel and --modules',
      });
    } finally {
      boot.remove();
    }
  });
});
