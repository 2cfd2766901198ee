// The fastest boot we measured is PVH: QEMU loads the uncompressed ELF
// vmlinux directly (no real-mode setup, no in-guest decompression). A bzImage
// carries that ELF compressed after its setup code; find the payload by its
// magic bytes and decompress it on the host.
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { KitInputError } from './sources';

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export interface Payload {
  name: string;
  magic: number[];
  /** the external decompressor and the Debian package shipping it; gzip is done in-process */
  tool?: string[];
  pkg?: string;
}

export const PAYLOADS: readonly Payload[] = [
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], tool: ['xz', '-dc'], pkg: 'xz-utils' },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd], tool: ['zstd', '-dc'], pkg: 'zstd' },
  { name: 'gzip', magic: [0x1f, 0x8b, 0x08] },
  { name: 'lz4', magic: [0x02, 0x21, 0x4c, 0x18], tool: ['lz4', '-dc'], pkg: 'lz4' },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], tool: ['bzip2', '-dc'], pkg: 'bzip2' },
  { name: 'lzma', magic: [0x5d, 0x00, 0x00], tool: ['xz', '--format=lzma', '-dc'], pkg: 'xz-utils' },
];

export function isElf(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 4)).equals(ELF_MAGIC);
}

/** The payload format whose magic starts `data`, if any. */
export function payloadAt(data: Uint8Array): Payload | undefined {
  return PAYLOADS.find((p) => p.magic.every((b, i) => data[i] === b));
}

/** Decompresses the ELF vmlinux out of a bzImage; a vmlinux is returned as is. */
export async function extractVmlinux(image: Buffer): Promise<{ elf: Buffer; compression: string }> {
  if (isElf(image)) return { elf: image, compression: 'none' };
  // Magic bytes also occur by chance, so a missing tool is only the answer when no other payload decompresses.
  const missing = new Map<Payload, number>();
  for (const p of PAYLOADS) {
    let at = image.indexOf(Buffer.from(p.magic));
    while (at >= 0) {
      const elf = await decompress(p, image.subarray(at));
      if (elf === 'missing') {
        missing.set(p, at); // no use trying its other matches
        break;
      }
      if (elf && isElf(elf)) return { elf, compression: p.name };
      at = image.indexOf(Buffer.from(p.magic), at + 1);
    }
  }
  if (missing.size) {
    const why = [...missing].map(
      ([p, at]) => `${p.name}-compressed (magic at byte ${at}), but ${p.tool![0]} is not installed`,
    );
    throw missingTool(`cannot decompress the kernel image: its payload looks ${why.join('; or ')}`, [
      ...missing.keys(),
    ]);
  }
  throw new Error('no compressed ELF payload found in the kernel image: pass an uncompressed vmlinux or a bzImage');
}

async function decompress(p: Payload, data: Buffer): Promise<Buffer | 'missing' | undefined> {
  if (!p.tool) {
    try {
      return gunzipSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate trailing bytes */ });
    } catch {
      return undefined;
    }
  }
  // The payload is followed by other bytes, so the tool complains at the end; keep what it wrote.
  // Chunks are collected here: execa's own buffering took 30 s for a 66 MB vmlinux, this takes 1 s.
  const child = execa(p.tool[0]!, p.tool.slice(1), { input: data, buffer: false, reject: false, stderr: 'ignore' });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c));
  const r = await child;
  if (r.code === 'ENOENT') return 'missing';
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

/** Decompresses a whole file (a module): no trailing bytes to tolerate, so any failure is an error. */
export async function unpackFile(p: Payload, data: Buffer, path: string): Promise<Buffer> {
  if (!p.tool) return gunzipSync(data);
  const r = await execa(p.tool[0]!, p.tool.slice(1), {
    input: data,
    encoding: 'buffer',
    reject: false,
    stripFinalNewline: false,
  });
  if (r.code === 'ENOENT') throw missingTool(`cannot decompress ${path}: ${p.tool[0]} is not installed`, [p]);
  if (r.failed)
    throw new Error(`${p.tool[0]} could not decompress ${path}: ${Buffer.from(r.stderr).toString().trim()}`);
  return Buffer.from(r.stdout);
}

function missingTool(message: string, payloads: Payload[]): KitInputError {
  return new KitInputError(
    message,
    `apt-get install -y --no-install-recommends ${[...new Set(payloads.map((p) => p.pkg))].join(' ')}`,
  );
}

/** PVH entry: the ELF note XEN_ELFNOTE_PHYS32_ENTRY (type 18, owner "Xen"). */
export function hasPvhNote(elf: Buffer): boolean {
  for (const ph of programHeaders(elf)) {
    if (elf.readUInt32LE(ph) !== 4 /* PT_NOTE */) continue;
    let off = Number(elf.readBigUInt64LE(ph + 8));
    const end = off + Number(elf.readBigUInt64LE(ph + 32));
    while (off + 12 <= end) {
      const namesz = elf.readUInt32LE(off);
      const descsz = elf.readUInt32LE(off + 4);
      const type = elf.readUInt32LE(off + 8);
      const name = elf.toString('ascii', off + 12, off + 12 + Math.max(0, namesz - 1));
      if (name === 'Xen' && type === 18) return true;
      off += 12 + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
    }
  }
  return false;
}

/**
 * A copy of `elf` whose loaded segments (PT_LOAD) end at their last non-zero byte. QEMU's ELF loader zero-fills a
 * segment from its file size to its memory size, so the guest's memory is the same; Debian's 6.1 vmlinux carries
 * about 23 MiB of zeros (.bss, .brk) as file bytes, which QEMU would otherwise read at every boot.
 */
export function withoutZeroTails(elf: Buffer): Buffer {
  const out = Buffer.from(elf);
  for (const ph of programHeaders(out)) {
    if (out.readUInt32LE(ph) !== 1 /* PT_LOAD */) continue;
    const offset = Number(out.readBigUInt64LE(ph + 8));
    let size = Number(out.readBigUInt64LE(ph + 32));
    while (size > 0 && out[offset + size - 1] === 0) size--;
    out.writeBigUInt64LE(BigInt(size), ph + 32);
  }
  return out;
}

/** Where a 64-bit ELF's program headers are in the file (none in any other ELF: the kit reads only 64-bit ones). */
function programHeaders(elf: Buffer): number[] {
  if (elf.readUInt8(4) !== 2) return [];
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  return Array.from({ length: elf.readUInt16LE(0x38) }, (_, i) => phoff + i * phentsize);
}
