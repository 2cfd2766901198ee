// The console's last lines, for a boot that died: a kernel panic says why
// better than QEMU's exit code.

// eslint-disable-next-line no-control-regex -- a terminal's escape sequences start with ESC (\x1b)
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;

export function consoleTail(history: Buffer, n = 6): string {
  const lines = history
    .toString('utf8')
    .replace(ESCAPES, '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter(Boolean);
  if (!lines.length) return '';
  // a panic's reason sits above its stack trace: quote it rather than the trace's tail
  const panic = lines.map((l) => /Kernel panic|BUG:|Oops:/.test(l)).lastIndexOf(true);
  const quoted = panic >= 0 ? lines.slice(panic, panic + 2) : lines.slice(-n);
  return `\nthe guest console ${panic >= 0 ? 'says' : 'printed last'}:\n${quoted.join('\n')}`;
}
