// Hot-added RAM in a guest whose RAM is in files: the backend becomes a shared file that the guest's QEMU (here a
// process holding the file open, as QEMU does) keeps alone, and its checkpoints then copy it with the boot's RAM.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeHotAddedRam } from '../../../src-main/guest/hot-ram';

const MiB = 2 ** 20;
const shm = mkdtempSync(join(tmpdir(), 'hot-ram-'));
const saved = process.env.PMEM_LAB_SHM;
const holders: ChildProcess[] = [];
beforeAll(() => {
  process.env.PMEM_LAB_SHM = shm;
});
afterAll(async () => {
  for (const h of holders) h.kill();
  if (saved === undefined) delete process.env.PMEM_LAB_SHM;
  else process.env.PMEM_LAB_SHM = saved;
  await rm(shm, { recursive: true, force: true });
});

/** What QEMU does with a file backend: creates the file and keeps it open. */
async function holdOpen(path: string): Promise<number> {
  writeFileSync(path, '');
  const fd = openSync(path, 'r+');
  const child = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', fd] });
  closeSync(fd);
  holders.push(child);
  await new Promise((r) => child.once('spawn', r));
  return child.pid!;
}

const add = (size: number, extra: Record<string, unknown> = {}) => ({
  execute: 'object-add',
  arguments: { 'qom-type': 'memory-backend-ram', id: 'm-dimm1', size, ...extra },
});

describe('RAM hot-added to a guest whose RAM is in files', () => {
  it('becomes a shared file, held by QEMU alone once added, and let go when the backend is deleted', async () => {
    const boot = join(shm, 'boot-ram');
    writeFileSync(boot, '');
    const held: Record<string, string> = { 'pc.ram': boot };
    const guest = { id: 'vm1', pid: process.pid, held };
    const placed = await placeHotAddedRam(guest, add(2 * MiB, { merge: false }));
    const path = join(shm, 'vm1', 'm-dimm1');
    expect(placed.command).toEqual({
      execute: 'object-add',
      arguments: {
        'qom-type': 'memory-backend-file',
        id: 'm-dimm1',
        size: 2 * MiB,
        merge: false,
        'mem-path': path,
        share: true,
      },
    });
    // QEMU (whose pid the guest gives when QEMU answers) opened the file
    guest.pid = await holdOpen(path);
    await placed.done(true);
    expect(held['m-dimm1']).toMatch(new RegExp(`^/proc/${guest.pid}/fd/\\d+$`));
    expect(readlinkSync(held['m-dimm1']!)).toBe(`${path} (deleted)`);
    expect(existsSync(join(shm, 'vm1'))).toBe(false);
    expect(held['pc.ram']).toBe(boot);

    const del = await placeHotAddedRam(guest, { execute: 'object-del', arguments: { id: 'm-dimm1' } });
    expect(del.command).toEqual({ execute: 'object-del', arguments: { id: 'm-dimm1' } });
    await del.done(true);
    expect(Object.keys(held)).toEqual(['pc.ram']);
    await rm(boot);
  });

  it('leaves nothing behind when QEMU refuses the backend', async () => {
    const held: Record<string, string> = {};
    const placed = await placeHotAddedRam({ id: 'vm2', pid: process.pid, held }, add(2 * MiB));
    expect(readdirSync(shm)).toContain('vm2');
    await placed.done(false);
    expect(readdirSync(shm)).not.toContain('vm2');
    expect(held).toEqual({});
  });

  it('stays private memory where the guest RAM is, or where tmpfs has no room for it', async () => {
    const cmd = add(2 * MiB);
    expect((await placeHotAddedRam({ id: 'vm3', pid: process.pid, held: undefined }, cmd)).command).toBe(cmd);
    const huge = add(2 ** 50);
    expect((await placeHotAddedRam({ id: 'vm3', pid: process.pid, held: {} }, huge)).command).toBe(huge);
    // the boot's RAM may still take all it has not touched: a 2 MiB backend does not fit beside 8 TiB of it
    const untouched = join(shm, 'untouched-ram');
    writeFileSync(untouched, '');
    truncateSync(untouched, 2 ** 43);
    expect((await placeHotAddedRam({ id: 'vm3', pid: process.pid, held: { 'pc.ram': untouched } }, cmd)).command).toBe(
      cmd,
    );
    await rm(untouched);
    const file = { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-file', id: 'f', size: MiB } };
    expect((await placeHotAddedRam({ id: 'vm3', pid: process.pid, held: {} }, file)).command).toBe(file);
    expect(readdirSync(shm)).toEqual([]);
  });
});
