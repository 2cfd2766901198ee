// Leaving early (Ctrl-C, SIGTERM, a reader that closed the pipe) first stops
// the guests this process started, so their runtime folders go with them.
const stoppers = new Set<() => Promise<void>>();
let leaving = false;

/** Stops every registered guest, then exits with `code`. */
function leave(code: number): void {
  if (leaving) return;
  leaving = true;
  void Promise.allSettled([...stoppers].map((stop) => stop())).finally(() => process.exit(code));
}

const onSignal = (sig: NodeJS.Signals) => leave(sig === 'SIGINT' ? 130 : 143);

/**
 * Stops the VM before exiting on Ctrl-C or SIGTERM; returns a
 * function that removes the handlers. A second Ctrl-C quits at once.
 */
export function stopOnSignals(stop: () => Promise<void>): () => void {
  stoppers.add(stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    stoppers.delete(stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * `pmem-lab doctor | head -3`: once the reader is gone, writing fails with
 * EPIPE; end quietly with status 141, as SIGPIPE ends other Unix tools,
 * instead of dying on an unhandled 'error' event with a stack trace.
 */
export function leaveQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    leave(141);
  });
}
