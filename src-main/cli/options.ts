import type { PrepareOptions } from '../guest/lab';
import { printKitProgress } from './progress';
import { UsageError, type CommandArgs } from './spec';

/** --kernel/--modules/--accel, shared by boot and run; progress goes to stderr so --json stays clean. */
export function prepareOptions(args: CommandArgs): PrepareOptions {
  const kernel = args.options.get('kernel');
  const modules = args.options.get('modules');
  if ((kernel === undefined) !== (modules === undefined))
    throw new UsageError(
      '--kernel and --modules go together: --kernel PATH (a bzImage or vmlinux) --modules DIR (its ' +
        'lib/modules/VERSION folder)',
    );
  const accel = args.options.get('accel') as PrepareOptions['accel']; // one of its choices in commands.ts
  return {
    ...(kernel && modules ? { kernel: { path: kernel, modules } } : {}),
    ...(accel ? { accel } : {}),
    ...(args.flags.has('cold') ? { checkpoint: 'cold' as const } : {}),
    onProgress: (p) => printKitProgress(p),
  };
}
