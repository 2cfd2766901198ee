// pmem-lab checkpoints list|clear: what boots restore from, and a way to start afresh.
import { checkpointsRoot, clearCheckpoints, listCheckpoints } from '../checkpoint/store';
import type { CommandArgs } from './spec';

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

export async function checkpointsCommand(args: CommandArgs): Promise<number> {
  if (args.positional === 'clear') {
    const n = await clearCheckpoints(args.options.get('profile'));
    console.log(`removed ${n} checkpoint${n === 1 ? '' : 's'} from ${checkpointsRoot()}`);
    return 0;
  }
  const entries = await listCheckpoints();
  if (args.flags.has('json')) {
    console.log(
      JSON.stringify(
        entries.map((e) => ({
          key: e.meta.key,
          profile: e.meta.profile,
          created: e.meta.created,
          lastUsed: e.lastUsed.toISOString(),
          stateBytes: e.meta.state.bytes,
          diskBytes: e.diskBytes,
          saveMs: e.meta.saveMs,
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (!entries.length) {
    console.log(`no checkpoints in ${checkpointsRoot()}`);
    return 0;
  }
  for (const e of entries)
    console.log(
      `${e.meta.key}  ${e.meta.profile.padEnd(22)} ${mib(e.diskBytes).padStart(10)} on disk  ` +
        `used ${e.lastUsed.toISOString().slice(0, 19)}Z`,
    );
  const total = entries.reduce((n, e) => n + e.diskBytes, 0);
  console.log(`${entries.length} checkpoint${entries.length === 1 ? '' : 's'}, ${mib(total)} in ${checkpointsRoot()}`);
  return 0;
}
