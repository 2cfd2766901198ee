// Read-only lines (actions/read-only.ts) change nothing in the kernel; the
// model predicts what they print where it holds what they read: `cat` of
// /proc/iomem and of the sysfs files read-sysfs.ts knows, `ndctl list` and
// `daxctl list` (read-list.ts) and `cxl list` (cxl-list.ts). Anything else
// (ls, grep, dmesg, meminfo, pipelines) is left unpredicted: undefined.
import type { Action } from '../../actions/types';
import { ENOENT } from '../kernel/errno';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { ToolFailure } from './failure';
import type { NdctlState } from './ndctl';
import { cxlList } from './cxl-list';
import { daxctlList, ndctlList } from './read-list';
import { readFile } from './read-sysfs';

/** busybox cat: each file in turn; a missing one is "cat: can't open 'PATH': No such file or directory", exit 1 */
function cat(k: Kernel, paths: string[]): string | undefined {
  if (!paths.length || paths.some((p) => p.startsWith('-'))) return undefined;
  const reads = paths.map((p) => ({ path: p, read: readFile(k, p) }));
  if (reads.some((r) => r.read === undefined)) return undefined;
  const text = reads
    .map(({ path, read }) =>
      read && 'text' in read ? read.text : `cat: can't open '${path}': No such file or directory\n`,
    )
    .join('');
  if (reads.some((r) => r.read && 'missing' in r.read)) {
    throw new ToolFailure('sh', text, ENOENT, why('the device is not there, nor its sysfs files', 'fs/sysfs'));
  }
  return text;
}

export function readOnly(k: Kernel, t: NdctlState, a: Extract<Action, { kind: 'read-only' }>): string | undefined {
  if (a.commands.length !== 1) return undefined;
  const [program, ...args] = a.commands[0]!;
  if (program === 'cat') return cat(k, args);
  if (program === 'ndctl') return ndctlList(k, t, args.slice(1));
  if (program === 'daxctl') return daxctlList(k, args.slice(1));
  if (program === 'cxl') return cxlList(k, args.slice(1));
  return undefined;
}
