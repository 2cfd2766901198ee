// QEMU's version, asked once per binary: a checkpoint is only restored by the QEMU that wrote it.
import { execa } from 'execa';
import { fileIdentity } from './key';

const known = new Map<string, string>();

export async function qemuVersionOf(binary: string): Promise<string> {
  const id = `${binary}@${await fileIdentity(binary)}`;
  let v = known.get(id);
  if (v === undefined) {
    const r = await execa(binary, ['--version']);
    v = r.stdout.split('\n')[0]!.trim();
    known.set(id, v);
  }
  return v;
}
