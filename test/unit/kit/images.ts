// Kernel images built from real parts for the kit's tests: the host kernel's
// own vmlinux (decompressed by the kit), recompressed with the real tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostKernel } from '../../../src-main/kit/sources';
import { extractVmlinux } from '../../../src-main/kit/vmlinux';
import { which } from '../../../src-main/util/which';

/**
 * The formats the kernel's Makefile writes (lz4 -l: the legacy frame). Its
 * levels (zstd -22, bzip2 -9) take far longer and give the same format.
 */
export const COMPRESSORS = {
  zstd: ['zstd', '-q', '-c'],
  lz4: ['lz4', '-l', '-q', '-c'],
  bzip2: ['bzip2', '-1', '-c'],
} as const;

let host: Promise<{ image: Buffer; elf: Buffer; compression: string }> | undefined;
/** The host kernel's image and its ELF, decompressed once per test file (seconds with xz). */
export function hostVmlinux(): Promise<{ image: Buffer; elf: Buffer; compression: string }> {
  host ??= (async () => {
    const image = await readFile((await hostKernel()).image);
    return { image, ...(await extractVmlinux(image)) };
  })();
  return host;
}

/** A few hundred bytes standing in for the setup code, chosen to hold no payload magic. */
const SETUP = Buffer.from(Array.from({ length: 640 }, (_, i) => (i * 7 + 3) & 0xff));

/**
 * setup bytes + compressed ELF + what follows a real payload: its size (the
 * kernel's size_append) and the rest of the bzImage (here the host's last 4 KiB).
 */
export function fakeBzImage(elf: Buffer, compressor: readonly string[], hostImage: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt32LE(elf.length);
  return Buffer.concat([SETUP, compress(elf, compressor), size, hostImage.subarray(hostImage.length - 4096)]);
}

/** At the lowest priority: seconds of bzip2 must not starve the unit tests running beside it. */
export function compress(data: Buffer, compressor: readonly string[]): Buffer {
  return execFileSync('nice', ['-n', '19', ...compressor], { input: data, maxBuffer: 1 << 30 });
}

/** A PATH folder with the real decompressors except `without`; call the returned function to remove it. */
export async function pathWithout(...without: string[]): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-path-'));
  for (const tool of ['xz', 'zstd', 'lz4', 'bzip2'].filter((t) => !without.includes(t))) {
    const real = await which(tool);
    if (!real) throw new Error(`${tool} is not installed: run scripts/setup-host.sh`);
    symlinkSync(real, join(dir, tool));
  }
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
