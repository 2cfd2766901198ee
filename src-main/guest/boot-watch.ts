// Where a booting guest is, from its boot CPU's registers: in the firmware
// (SeaBIOS and the option ROM that loads the kernel), in the kernel, or in
// user space (the kit's init loading modules and starting the agent). The
// kernel boots with `quiet`, so the console is silent until init speaks; the
// registers are what tells a slow or stuck boot apart. Read with HMP's
// `info registers` over QMP a few times a second while the guest boots.
import type { QmpClient } from '../qemu/qmp';

export type BootStage = 'firmware' | 'kernel' | 'init';

/** The kernel's half of the x86-64 address space (arch/x86/include/asm/page_64_types.h: __PAGE_OFFSET and up). */
const KERNEL_HALF = 0xffff800000000000n;

/**
 * The stage a register dump shows: user space at CPL 3 (the low bits of CS),
 * the kernel in the upper half, the firmware below it (real and 32-bit mode).
 */
export function stageOf(registers: string): BootStage | undefined {
  const rip = /\b[RE]IP=([0-9a-f]+)/i.exec(registers);
  const cs = /\bCS\s*=([0-9a-f]+)/i.exec(registers);
  if (!rip || !cs) return undefined;
  if ((parseInt(cs[1]!, 16) & 3) === 3) return 'init';
  return BigInt(`0x${rip[1]}`) >= KERNEL_HALF ? 'kernel' : 'firmware';
}

const ORDER: BootStage[] = ['firmware', 'kernel', 'init'];

/**
 * Polls until stopped; reports each stage once, in boot order (a stage is
 * never reported after a later one: init's module loads run kernel code).
 */
export function watchBoot(
  qmp: QmpClient,
  qmpReady: Promise<unknown>,
  onStage: (s: BootStage) => void,
  everyMs = 150,
): () => void {
  let stopped = false;
  let reached = -1;
  void (async () => {
    if (
      !(await qmpReady.then(
        () => true,
        () => false,
      ))
    )
      return;
    while (!stopped) {
      const r = await qmp
        .execute('human-monitor-command', { 'command-line': 'info registers' }, 2000)
        .catch(() => undefined);
      const stage = typeof r === 'string' ? stageOf(r) : undefined;
      const at = stage ? ORDER.indexOf(stage) : -1;
      if (!stopped && at > reached) {
        reached = at;
        onStage(stage!);
      }
      await new Promise((res) => setTimeout(res, everyMs));
    }
  })();
  return () => {
    stopped = true;
  };
}
