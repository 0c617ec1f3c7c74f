import { TsqlError } from './errors.ts';

interface Waiter {
  owner: object;
  resolve: () => void;
}

/**
 * PGlite is one PostgreSQL session, so the engine runs one request at a time. A session takes the
 * lock for each request and keeps it while it has an open transaction, so no other connection can
 * see or undo its uncommitted work (other connections wait, as they would on SQL Server's locks).
 */
export class EngineLock {
  #holder: object | undefined;
  #queue: Waiter[] = [];

  get holder(): object | undefined {
    return this.#holder;
  }

  /**
   * Waits for the engine. Rejects with error 1222 after `timeoutMs` (SET LOCK_TIMEOUT; negative
   * waits forever), or with the signal's reason when the request is cancelled while waiting.
   */
  async acquire(owner: object, signal?: AbortSignal, timeoutMs = -1): Promise<void> {
    if (this.#holder === owner) return;
    if (this.#holder === undefined && this.#queue.length === 0) {
      this.#holder = owner;
      return;
    }
    if (timeoutMs === 0) throw lockTimeout();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        resolve: () => {
          cleanup();
          resolve();
        },
      };
      let timer: NodeJS.Timeout | undefined;
      const remove = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
      };
      const onAbort = (): void => {
        cleanup();
        remove();
        reject(new TsqlError(3617, 'The query was cancelled.', { severity: 11 }));
      };
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs > 0)
        timer = setTimeout(() => {
          cleanup();
          remove();
          reject(lockTimeout());
        }, timeoutMs);
      this.#queue.push(waiter);
    });
  }

  release(owner: object): void {
    if (this.#holder !== owner) return;
    const next = this.#queue.shift();
    this.#holder = next?.owner;
    next?.resolve();
  }
}

function lockTimeout(): TsqlError {
  return new TsqlError(1222, 'Lock request time out period exceeded.');
}
