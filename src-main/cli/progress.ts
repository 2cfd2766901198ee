// Progress of the slow first steps, on stderr so --json output stays clean.
import type { KitProgress } from '../kit/build';

/** The kit is built once per kernel and tool set; say so before the wait, then each stage. */
export function printKitProgress(
  p: KitProgress,
  line: (s: string) => void = (s) => void process.stderr.write(`${s}\n`),
): void {
  if (p.stage === 'hash') return;
  if (p.stage === 'extract')
    line('building the guest kit (first time for this kernel and these tools, a few seconds)...');
  line(`kit: ${p.stage}: ${p.detail}`);
}
