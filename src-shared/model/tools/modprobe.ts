// busybox's modprobe and rmmod, worded as on the guest. A module the kernel
// does not ship is missing from modules.dep (Debian's kernel and the lab base
// have no test_hmm); rmmod of a module that is not loaded gets ENOENT from
// delete_module (kernel/module/main.c). Both exit 1.
import type { Action } from '../../actions/types';
import { ENOENT, KernelError } from '../kernel/errno';
import type { Kernel } from '../kernel/state';
import { hmmDmirrorExit, hmmDmirrorInit } from '../kernel/test-hmm';
import { why } from '../why';
import { shellFailure, ToolFailure } from './failure';

type ModuleAction = Extract<Action, { kind: 'module' }>;

const INIT: Record<string, { init: (k: Kernel) => void; exit: (k: Kernel) => void }> = {
  test_hmm: { init: hmmDmirrorInit, exit: hmmDmirrorExit },
};

export function moduleCommand(k: Kernel, a: ModuleAction): string {
  const driver = INIT[a.name]!;
  if (!k.machine.kernelModules.includes(a.name)) {
    const rule = why(
      `this kernel does not ship ${a.name}: build one with the hmm preset (pmem-lab kernel build hmm)`,
      'lib/Kconfig.debug:TEST_HMM',
    );
    if (a.tool === 'rmmod') throw notLoaded(a.name, rule);
    throw new ToolFailure('sh', `modprobe: module ${a.name} not found in modules.dep\n`, ENOENT, rule);
  }
  const loaded = k.modules.has(a.name);
  if (a.op === 'load') {
    if (!loaded) {
      try {
        driver.init(k);
      } catch (e) {
        throw e instanceof KernelError ? shellFailure(e) : e;
      }
    }
    return '';
  }
  if (!loaded && a.tool === 'rmmod') {
    throw notLoaded(a.name, why('delete_module finds no module of that name', 'kernel/module/main.c:delete_module'));
  }
  if (loaded) driver.exit(k);
  return '';
}

const notLoaded = (name: string, rule: ReturnType<typeof why>) =>
  new ToolFailure('sh', `rmmod: can't unload module '${name}': No such file or directory\n`, ENOENT, rule);
