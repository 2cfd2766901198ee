// Why QEMU went away, in words a user can act on. QEMU catches SIGTERM, SIGINT
// and SIGHUP, says so on stderr ("terminating on signal N from pid P (name)",
// softmmu/runstate.c qemu_system_killed) and exits with status 0, so the exit
// status alone would read as a clean quit.
import { constants } from 'node:os';
import { lastLines } from './launcher';

const KILLED_BY = /terminating on signal (\d+)(?: from pid (\d+)(?: \(([^)]*)\))?)?/;

const signalName = (n: number): string =>
  Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`;

export function exitReason(code: number | null, signal: string | null, stderr: string): string {
  const told = KILLED_BY.exec(stderr);
  if (told) {
    const from = told[2] ? ` from process ${told[2]}${told[3] ? ` (${told[3]})` : ''}` : '';
    return `QEMU was stopped from outside the lab: ${signalName(Number(told[1]))}${from}`;
  }
  if (signal === 'SIGKILL')
    return `QEMU was killed (SIGKILL), by a user or the kernel's out-of-memory killer: ${lastLines(stderr)}`;
  if (signal) return `QEMU died of ${signal}: ${lastLines(stderr)}`;
  if (code === 0) return 'QEMU quit on its own (the guest powered off, or a QMP quit from outside the lab)';
  return `QEMU failed with exit status ${code}: ${lastLines(stderr)}`;
}
