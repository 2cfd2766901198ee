import type { PrepareOptions } from '../session/lab';
import type { KitProgress } from '../kit/build';
import { UsageError, type ParsedArgs } from './args';

/** --kernel/--modules/--accel, shared by boot and run; progress goes to stderr so --json stays clean. */
export function prepareOptions(args: ParsedArgs): PrepareOptions {
  const kernel = args.options.get('kernel');
  const modules = args.options.get('modules');
  if ((kernel === undefined) !== (modules === undefined)) throw new UsageError('--kernel and --modules go together');
  const accel = args.options.get('accel');
  if (accel !== undefined && !['auto', 'kvm', 'tcg'].includes(accel)) throw new UsageError('--accel takes auto, kvm or tcg');
  return {
    ...(kernel && modules ? { kernel: { path: kernel, modules } } : {}),
    ...(accel ? { accel: accel as 'auto' | 'kvm' | 'tcg' } : {}),
    onProgress: (p: KitProgress) => {
      if (p.stage !== 'hash') process.stderr.write(`kit: ${p.stage}: ${p.detail}\n`);
    },
  };
}
