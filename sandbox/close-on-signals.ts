/**
 * For the sandbox and demo command-line entry points: on the first SIGINT or
 * SIGTERM, announce it, run `close` once, and exit 0 when it finishes or 1 when it fails.
 * A second signal while closing is ignored, so a repeated Ctrl+C cannot cut a graceful shutdown.
 */
export function closeOnSignals(close: () => Promise<void>, announce: (signal: string) => void): void {
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    announce(signal);
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
