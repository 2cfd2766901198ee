import { loadProfile } from '../store/profiles';
import { bootProfile, prepare } from '../guest/lab';
import type { CommandArgs } from './spec';
import { prepareOptions } from './options';

const DETACH = 0x1d; // Ctrl-]

/** pmem-lab shell PROFILE: the guest's serial console in this terminal until Ctrl-]. */
export async function shellCommand(args: CommandArgs): Promise<number> {
  const profile = await loadProfile(args.positional ?? 'nvdimm-1g-labels');
  const prepared = await prepare(profile, prepareOptions(args));
  process.stderr.write(`booting ${profile.name} (${prepared.accel.accel}); Ctrl-] stops the guest and quits\r\n`);
  const vm = await bootProfile(profile, prepared);
  process.stdout.write(vm.consoleHistory());
  vm.on('console', (d) => process.stdout.write(d));
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(true);
  await new Promise<void>((resolve) => {
    stdin.on('data', (d: Buffer) => {
      if (d.includes(DETACH)) resolve();
      else vm.writeConsole(d);
    });
    stdin.on('end', resolve);
    vm.on('state', (s) => (s === 'crashed' || s === 'stopped') && resolve());
    vm.writeConsole('\n');
  });
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  const crashed = vm.state === 'crashed' ? vm.reason : undefined;
  await vm.stop();
  process.stderr.write(crashed ? `\r\nguest crashed: ${crashed}\r\n` : '\r\nguest stopped\r\n');
  return crashed ? 2 : 0;
}
