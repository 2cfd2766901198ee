// Runtime folders (one per VM: sockets, throw-away NVDIMM files) record the
// process that owns them. A backend killed with SIGKILL cannot remove its
// folders; the next boot does, once their owner is gone. The owner is a pid
// plus its start time (/proc/PID/stat field 22), so a reused pid is not
// mistaken for the owner.
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const OWNER = 'owner';
/** A folder without an owner record may be one being created right now. */
const UNOWNED_GRACE_MS = 60_000;

async function startTime(pid: number | 'self'): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export async function claimRunDir(dir: string): Promise<void> {
  await writeFile(join(dir, OWNER), `${process.pid} ${await startTime('self')}\n`, { mode: 0o600 });
}

async function ownerAlive(dir: string): Promise<boolean> {
  const record = await readFile(join(dir, OWNER), 'utf8').catch(() => undefined);
  if (record === undefined) {
    const age = await stat(dir).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return age < UNOWNED_GRACE_MS;
  }
  const [pid, started] = record.trim().split(' ');
  return Number(pid) > 0 && (await startTime(Number(pid))) === started;
}

/** Removes the runtime folders under `root` whose owning process has exited; returns their names. */
export async function sweepStaleRunDirs(root: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const dir = join(root, name);
    if (await ownerAlive(dir)) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
