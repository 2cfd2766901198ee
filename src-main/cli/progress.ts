// Progress of the slow first steps, on stderr so --json output stays clean.
import type { KitProgress } from '../kit/build';
import type { BuildProgress } from '../kernel-build';

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

/**
 * A kernel build's stages, a line each; the compile's percent rewritten in
 * place on a terminal, else a line every 10% (a log, CI), so minutes of
 * compiling show as progress without flooding.
 */
export function kernelProgressPrinter(
  stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr,
): (p: BuildProgress) => void {
  let inPlace = false;
  let lastTenth = -1;
  return (p) => {
    const text = `kernel: ${p.stage}: ${p.percent === undefined ? '' : `${p.percent}%: `}${p.detail}`;
    if (p.stage === 'compile' && p.percent !== undefined && stream.isTTY) {
      stream.write(`\r\x1b[K${text}`);
      inPlace = true;
      return;
    }
    if (p.stage === 'compile' && p.percent !== undefined) {
      if (Math.floor(p.percent / 10) === lastTenth) return;
      lastTenth = Math.floor(p.percent / 10);
    }
    stream.write(`${inPlace ? '\n' : ''}${text}\n`);
    inPlace = false;
  };
}
