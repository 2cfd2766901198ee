// Loading and unloading a kernel module from the console: busybox's modprobe
// and rmmod. Only modules whose effect the model follows are in the
// vocabulary: test_hmm, the driver that registers device-private memory
// (lib/test_hmm.c), on a kernel the lab builds with the hmm preset.
import type { ParsedAction } from './types';

export const MODELLED_MODULES = ['test_hmm'] as const;

/** `modprobe NAME`, `modprobe -r NAME`, `rmmod NAME`; module names with - or _ alike, as kmod reads them. */
export function parseModule(tool: 'modprobe' | 'rmmod', args: string[]): ParsedAction {
  const remove = tool === 'modprobe' && args[0] === '-r';
  const names = remove ? args.slice(1) : args;
  if (names.length !== 1 || names[0]!.startsWith('-'))
    return { kind: 'unknown', reason: `${tool}: one module name${tool === 'modprobe' ? ' (and -r)' : ''}, please` };
  const name = names[0]!.replace(/-/g, '_');
  if (!(MODELLED_MODULES as readonly string[]).includes(name))
    return { kind: 'unknown', reason: `${tool} ${name}: only ${MODELLED_MODULES.join(', ')} is modelled` };
  return { kind: 'action', action: { kind: 'module', tool, op: tool === 'rmmod' || remove ? 'unload' : 'load', name } };
}
