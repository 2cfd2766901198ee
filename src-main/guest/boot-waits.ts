// What a cold boot waits for: the first byte on either serial line (a guest that prints nothing is relaunched)
// and the agent's announcement on the probe line.
import type { LaunchedQemu } from '../qemu/launcher';
import type { ProbeClient } from '../probe/client';
import { consoleTail } from './console-tail';

/** The Vm's state changes: a wait ends when QEMU exits. */
interface StateSource {
  on(event: 'state', listener: (s: string, why?: string) => void): unknown;
  off(event: 'state', listener: (s: string, why?: string) => void): unknown;
}

/** The guest printed nothing at all on either serial line. */
export class SilentGuestError extends Error {}

/** Resolves at the first byte on either serial line. */
export function untilHeard(vm: StateSource, qemu: LaunchedQemu, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(t);
      qemu.console.off('data', heard);
      qemu.probe.off('data', heard);
      vm.off('state', onState);
      if (error) reject(error);
      else resolve();
    };
    const heard = () => settle();
    // a QEMU that exits is reported by the other waits; this one only stops waiting
    const onState = (s: string) => (s === 'crashed' || s === 'stopped' ? settle() : undefined);
    const t = setTimeout(
      () =>
        settle(new SilentGuestError(`the first launch printed nothing on either serial line within ${timeoutMs} ms`)),
      timeoutMs,
    );
    qemu.console.on('data', heard);
    qemu.probe.on('data', heard);
    vm.on('state', onState);
  });
}

/** Resolves when the agent has announced itself; `totalMs` is the whole boot's deadline, for the message. */
export function untilReady(
  vm: StateSource,
  probe: ProbeClient,
  console: () => Buffer,
  timeoutMs: number,
  totalMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(
      () =>
        reject(
          new Error(
            `the guest did not reach its shell within ${totalMs} ms (bad kernel argument or a kernel that does not ` +
              `boot?)${consoleTail(console())}`,
          ),
        ),
      timeoutMs,
    );
    const onState = (s: string, why?: string) => {
      if (s === 'crashed' || s === 'stopped') {
        clearTimeout(t);
        reject(new Error(`QEMU exited while booting: ${why ?? s}`));
      }
    };
    vm.on('state', onState);
    void probe.whenReady().then(() => {
      clearTimeout(t);
      vm.off('state', onState);
      resolve();
    });
  });
}
