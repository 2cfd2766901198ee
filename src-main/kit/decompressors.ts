// The kit unpacks a bzImage on the host (kit/vmlinux.ts) with xz, zstd, lz4 or
// bzip2, so a kernel compressed with a tool the host lacks cannot boot. This
// is the doctor's check for it: which tools are there, and which one the host
// kernel needs.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { which } from '../util/which';
import { newestHostKernel } from './sources';
import { PAYLOADS, payloadAt } from './vmlinux';

export interface DecompressorCheck {
  status: 'ok' | 'warn' | 'miss';
  detail: string;
  fix?: string;
}

/** Each external tool once (lzma shares xz), with its Debian package. */
const TOOLS = new Map(PAYLOADS.flatMap((p) => (p.tool && p.pkg ? [[p.tool[0]!, p.pkg] as const] : [])));

/** ok: every tool there; warn: some missing, the host kernel still boots; miss: the host kernel cannot be unpacked. */
export async function checkDecompressors({
  bootDir = '/boot',
  modulesRoot = '/lib/modules',
} = {}): Promise<DecompressorCheck> {
  const present: string[] = [];
  const absent: string[] = [];
  for (const tool of TOOLS.keys()) ((await which(tool)) ? present : absent).push(tool);

  let kernelNote = 'no host kernel found';
  let blocked = false;
  const k = await newestHostKernel(bootDir, modulesRoot);
  if (k) {
    const compression = await kernelCompression(k.image, join(bootDir, `config-${k.release}`));
    const payload = PAYLOADS.find((p) => p.name === compression);
    const needs = payload?.tool?.[0];
    if (!compression) kernelNote = `could not tell how the host kernel ${k.release} is compressed`;
    else if (!payload)
      [kernelNote, blocked] = [
        `the host kernel ${k.release} is ${compression}-compressed, which the kit cannot unpack: pass --kernel and ` +
          `--modules`,
        true,
      ];
    else if (needs && absent.includes(needs))
      [kernelNote, blocked] = [
        `the host kernel ${k.release} is ${compression}-compressed and cannot be unpacked without ${needs}`,
        true,
      ];
    else kernelNote = `the host kernel ${k.release} is ${compression}-compressed`;
  }

  const parts = [
    present.length ? `${present.join(', ')} present` : '',
    absent.length
      ? `${absent.join(', ')} missing (kernels compressed with ${absent.length > 1 ? 'them' : 'it'} cannot boot)`
      : '',
    kernelNote,
  ];
  const detail = parts.filter(Boolean).join('; ');
  const fix = absent.length
    ? `apt-get install -y --no-install-recommends ${[...new Set(absent.map((t) => TOOLS.get(t)))].join(' ')}`
    : undefined;
  const status = blocked ? 'miss' : absent.length ? 'warn' : 'ok';
  return fix ? { status, detail, fix } : { status, detail };
}

/**
 * The payload's compression, cheaply: two small reads of the bzImage's setup
 * header, else the kernel's config (readable where Ubuntu's 0600 image is not).
 */
export async function kernelCompression(image: string, config: string): Promise<string | undefined> {
  const fromHeader = await headerCompression(image).catch(() => undefined);
  if (fromHeader) return fromHeader;
  const text = await readFile(config, 'utf8').catch(() => '');
  return /^CONFIG_KERNEL_(GZIP|BZIP2|LZMA|XZ|LZO|LZ4|ZSTD)=y$/m.exec(text)?.[1]?.toLowerCase();
}

async function headerCompression(image: string): Promise<string | undefined> {
  const fh = await open(image, 'r');
  try {
    const hdr = Buffer.alloc(0x250);
    await fh.read(hdr, 0, hdr.length, 0);
    // Boot protocol 2.08+ (Documentation/arch/x86/boot.rst) gives payload_offset,
    // counted from the protected-mode code that follows the setup sectors.
    if (hdr.toString('latin1', 0x202, 0x206) !== 'HdrS' || hdr.readUInt16LE(0x206) < 0x208) return undefined;
    const setupSects = hdr[0x1f1] || 4;
    const magic = Buffer.alloc(8);
    await fh.read(magic, 0, magic.length, (setupSects + 1) * 512 + hdr.readUInt32LE(0x248));
    return payloadAt(magic)?.name;
  } finally {
    await fh.close();
  }
}
