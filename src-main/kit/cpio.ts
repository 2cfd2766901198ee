// An uncompressed "newc" cpio archive, the format the kernel unpacks as an
// initramfs (init/initramfs.c). Uncompressed because decompressing costs more
// than copying under TCG.

export type CpioEntry =
  | { path: string; type: 'dir'; mode?: number }
  | { path: string; type: 'file'; data: Uint8Array; mode?: number }
  | { path: string; type: 'symlink'; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function header(ino: number, mode: number, size: number, nameLen: number): string {
  const f = (n: number) => n.toString(16).padStart(8, '0');
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  return '070701' + [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, nameLen, 0].map(f).join('');
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

export function writeCpio(entries: CpioEntry[]): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    chunks.push(b);
    offset += b.length;
  };
  const align = () => {
    const p = pad4(offset);
    if (p) push(Buffer.alloc(p));
  };
  const emit = (ino: number, mode: number, name: string, data: Buffer) => {
    const nameBuf = Buffer.from(name + '\0');
    push(Buffer.from(header(ino, mode, data.length, nameBuf.length), 'ascii'));
    push(nameBuf);
    align();
    if (data.length) push(data);
    align();
  };
  entries.forEach((e, i) => {
    const name = e.path.replace(/^\/+/, '');
    if (e.type === 'dir') emit(i + 1, S_IFDIR | (e.mode ?? 0o755), name, Buffer.alloc(0));
    else if (e.type === 'file') emit(i + 1, S_IFREG | (e.mode ?? 0o644), name, Buffer.from(e.data));
    else emit(i + 1, S_IFLNK | 0o777, name, Buffer.from(e.target));
  });
  emit(0, 0, 'TRAILER!!!', Buffer.alloc(0));
  return Buffer.concat(chunks, offset);
}
