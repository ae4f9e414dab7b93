/**
 * The first SIGINT or SIGTERM during training asks the trainer to stop after
 * the current epoch: it validates that epoch, keeps the best one, and the run
 * is tested and written back as usual (metrics.json says `interrupted`). A
 * second signal exits at once, as a plain Ctrl-C would; repeats within a
 * second of the first are the same Ctrl-C relayed by npm and tsx (each
 * forwards it to its child) and are ignored.
 */
export function interruptOnSignal(print: (line: string) => void): { requested: () => boolean; dispose: () => void } {
  let requestedAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requestedAt !== undefined) {
      if (Date.now() - requestedAt < 1000) return;
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    requestedAt = Date.now();
    print(`${signal}: stopping after this epoch, then validating, testing and writing back (send it again to abort)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requestedAt !== undefined,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
