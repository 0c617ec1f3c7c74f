import { DbError } from './errors.ts';

/** A counting semaphore that bounds queries in flight and refuses with `BUSY` after a short wait. */
export interface Slots {
  /** Resolves with a release function, or rejects with `DbError('BUSY')` after `waitMs`. */
  acquire(waitMs: number, signal?: AbortSignal): Promise<() => void>;
  readonly inUse: number;
  readonly waiting: number;
}

/** Creates `max` slots. Waiters are served first come, first served. */
export function createSlots(max: number): Slots {
  let inUse = 0;
  const waiters: Array<(release: () => void) => void> = [];

  const release = (): void => {
    const next = waiters.shift();
    if (next) next(once());
    else inUse--;
  };
  const once = (): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };

  return {
    get inUse() {
      return inUse;
    },
    get waiting() {
      return waiters.length;
    },
    acquire(waitMs, signal) {
      if (inUse < max) {
        inUse++;
        return Promise.resolve(once());
      }
      return new Promise((resolve, reject) => {
        const grant = (r: () => void): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        };
        const drop = (message: string): void => {
          const i = waiters.indexOf(grant);
          if (i >= 0) waiters.splice(i, 1);
          signal?.removeEventListener('abort', onAbort);
          reject(new DbError('BUSY', message));
        };
        const onAbort = (): void => {
          clearTimeout(timer);
          drop('The request was cancelled while waiting for a free database slot.');
        };
        const timer = setTimeout(() => drop('Too many queries are running; try again in a moment.'), waitMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(grant);
      });
    },
  };
}
