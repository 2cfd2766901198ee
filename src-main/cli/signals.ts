/** Stops the VM before exiting on Ctrl-C or SIGTERM; returns a function that removes the handlers. */
export function stopOnSignals(stop: () => Promise<void>): () => void {
  const handler = (sig: NodeJS.Signals) => {
    void stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
