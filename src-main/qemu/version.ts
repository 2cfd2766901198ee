// QEMU's version (`7.2.22`), asked of a binary once per process and file identity: every boot reports it, and
// a checkpoint is only restored by the QEMU that wrote it.
import { execa } from 'execa';
import { stat } from 'node:fs/promises';

const known = new Map<string, string>();

export async function qemuVersion(binary: string): Promise<string> {
  const s = await stat(binary, { bigint: true });
  const id = `${binary}@${s.ino}:${s.size}:${s.mtimeNs}`;
  let v = known.get(id);
  if (v === undefined) {
    const r = await execa(binary, ['--version']);
    v = /version (\S+)/.exec(r.stdout)?.[1] ?? r.stdout.split('\n')[0]!;
    known.set(id, v);
  }
  return v;
}
