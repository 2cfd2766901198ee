// RAM hot-added to a guest whose RAM is in files (ram-files.ts): a memory-backend-ram the user adds becomes a
// shared file on tmpfs as well, so the session's step checkpoints copy the pages the guest touched instead of
// QEMU reading the whole backend into the stream (4 s per GiB on a host that allocates on read). The guest sees
// the same DIMM either way: the backend's type is QEMU's business, not the guest's.
import type { QmpCommand } from '../../src-shared/actions/qmp-allow';
import { rm } from 'node:fs/promises';
import { adoptRamFiles, asRamFile, prepareRamDir, ramGrowth } from './ram-files';

/** What the placement needs of the guest: its id, QEMU's pid, and the RAM files QEMU holds by backend id. */
export interface HotRamGuest {
  id: string;
  pid: number | undefined;
  held: Record<string, string> | undefined;
}

export interface PlacedQmp {
  command: QmpCommand;
  /** after QEMU's answer: what the guest's RAM files become (`ok`: QEMU took the command) */
  done(ok: boolean): Promise<void>;
}

/**
 * The command as QEMU gets it. A memory-backend-ram becomes a file backend when the guest's RAM is in files and
 * tmpfs has room for it and for the rest of the guest's RAM; the file is unlinked once QEMU holds it, as the
 * boot's are. Otherwise it stays private memory, which the stream carries (shared anonymous memory, which the
 * stream would leave out, is refused in qmp-allow.ts).
 */
export async function placeHotAddedRam(guest: HotRamGuest, cmd: QmpCommand): Promise<PlacedQmp> {
  const args = cmd.arguments ?? {};
  const id = String(args.id);
  const held = guest.held;
  const unchanged: PlacedQmp = { command: cmd, done: async () => {} };
  if (cmd.execute === 'object-del' && held && id in held) {
    // QEMU closes the file with the backend; a step checkpoint after this has no RAM to copy for it
    const done = (ok: boolean) => {
      if (ok) delete held[id];
      return Promise.resolve();
    };
    return { command: cmd, done };
  }
  if (cmd.execute !== 'object-add' || args['qom-type'] !== 'memory-backend-ram') return unchanged;
  if (!held || !guest.pid) return unchanged;
  // room for the new file and for what the guest's other RAM files may still take: a guest that touches more
  // than tmpfs has left is killed by SIGBUS
  const growth = await ramGrowth(Object.values(held));
  const ram = await prepareRamDir(new Map([[id, Number(args.size)]]), guest.id, growth);
  if (typeof ram === 'string') return unchanged;
  return {
    command: { execute: cmd.execute, arguments: asRamFile(args, ram.files[id]!) },
    async done(ok) {
      if (!ok) return void (await rm(ram.dir, { recursive: true, force: true }));
      Object.assign(held, await adoptRamFiles(ram, guest.pid!));
    },
  };
}
