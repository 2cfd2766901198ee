import { loadProfile } from '../store/profiles';
import { bootProfile, prepare } from '../guest/lab';
import type { CommandArgs } from './spec';
import { prepareOptions } from './options';
import { formatSnapshot } from './format';
import { stopOnSignals } from './signals';
import { bootLine } from './format';

/** pmem-lab boot PROFILE: boot, print the snapshot, shut down. */
export async function bootCommand(args: CommandArgs): Promise<number> {
  const profile = await loadProfile(args.positional!); // required in commands.ts
  const prepared = await prepare(profile, prepareOptions(args));
  process.stderr.write(`booting ${profile.name} (${prepared.accel.accel}: ${prepared.accel.reason})\n`);
  const vm = await bootProfile(profile, prepared);
  const release = stopOnSignals(() => vm.stop());
  try {
    const t0 = performance.now();
    const snapshot = await vm.snapshot();
    const snapshotMs = Math.round(performance.now() - t0);
    if (args.flags.has('json')) {
      console.log(
        JSON.stringify(
          {
            profile: profile.name,
            kernel: snapshot.kernel,
            qemu: prepared.qemu,
            accel: prepared.accel.accel,
            timings: { kit_ms: prepared.kitMs, ready_ms: vm.readyMs, snapshot_ms: snapshotMs },
            ...(vm.checkpoint ? { boot: vm.checkpoint } : {}),
            snapshot,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(formatSnapshot(snapshot));
      console.log(
        `\nready in ${vm.readyMs} ms (${prepared.accel.accel}, ${bootLine(vm.checkpoint)}), ` +
          `snapshot in ${snapshotMs} ms`,
      );
    }
    return 0;
  } finally {
    await vm.stop();
    release();
  }
}
