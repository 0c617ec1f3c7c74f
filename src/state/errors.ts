/**
 * The shared state store (Redis, `STATE_STORE_URL`) did not answer. Callers turn it into a clear
 * "try again shortly" for the client — never a silent fall back to per-process state, which would
 * hand out result ids and counters the other replicas cannot see. `message` is client-safe.
 */
export class StateStoreError extends Error {
  readonly code = 'STATE_UNAVAILABLE';

  constructor(message = 'The shared state store is not reachable right now; try again shortly.', options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StateStoreError';
  }
}
