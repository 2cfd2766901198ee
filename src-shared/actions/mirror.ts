// What a line typed in the guest console means for the model: a vocabulary
// action (mirrored), a command that may change memory state the model cannot
// follow (the model goes out of sync), or anything else (no effect on memory).
import { parseConsoleLine } from './console';
import type { Action } from './types';

export type ConsoleLineMeaning =
  { kind: 'action'; action: Action } | { kind: 'outside'; reason: string } | { kind: 'harmless' };

/** Tools and writes that change what the model tracks: namespaces, dax devices, memory blocks, drivers. */
const STATEFUL =
  /^\s*(ndctl|daxctl|modprobe|rmmod|insmod)\b|>\s*\/sys\/(bus\/(nd|dax)|devices\/system\/(memory|node))\//;

export function classifyConsoleLine(line: string): ConsoleLineMeaning {
  if (!line.trim()) return { kind: 'harmless' };
  const p = parseConsoleLine(line);
  if (p.kind === 'action') return p;
  return STATEFUL.test(line) ? { kind: 'outside', reason: `"${line.trim()}": ${p.reason}` } : { kind: 'harmless' };
}
