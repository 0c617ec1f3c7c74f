import { DbError } from '../db/errors.ts';
import type { ResearchLimits } from './context.ts';

/** Default wall-clock budget of one natural-language search: a ChatGPT tool call gets about 60 s, and Deep Research issues many. */
export const NL_SEARCH_BUDGET_MS = 10_000;

/** Default table scans in flight at once for one search: leaves `Db` slots for other callers. */
export const NL_SCAN_CONCURRENCY = 3;

/** The budget of a whole natural-language search: `searchBudgetMs` (default 10 s), never above `queryTimeoutMs`. */
export function searchBudgetMs(limits: Pick<ResearchLimits, 'queryTimeoutMs' | 'searchBudgetMs'>): number {
  return Math.max(1, Math.min(limits.queryTimeoutMs, limits.searchBudgetMs ?? NL_SEARCH_BUDGET_MS));
}

/** Scans in flight at once, at least 1. */
export function scanConcurrency(limits: Pick<ResearchLimits, 'scanConcurrency'>): number {
  return Math.max(1, Math.floor(limits.scanConcurrency ?? NL_SCAN_CONCURRENCY));
}

/** A deadline shared by several queries. */
export interface Budget {
  expired(): boolean;
  /** Milliseconds left, at least 1 (a query's own server-side timeout). */
  remainingMs(): number;
  /** Aborts when the budget runs out or the caller's signal aborts: pass it to every query. */
  signal: AbortSignal;
  /**
   * The query's result, its `DbError`, or undefined as soon as the budget runs out — without
   * waiting for the cancelled query to acknowledge, so the search answers on time. Anything
   * else a query throws is a bug and is rethrown.
   */
  race<T>(work: Promise<T>): Promise<T | DbError | undefined>;
  /** Stops the timer and cancels whatever is still running. */
  close(): void;
}

/** Starts a budget of `ms` milliseconds, also ended by `outer` aborting. */
export function startBudget(ms: number, outer?: AbortSignal): Budget {
  const deadline = performance.now() + ms;
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  const timer = setTimeout(() => controller.abort(), ms);
  const ended = new Promise<undefined>((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  return {
    signal,
    expired: () => signal.aborted || performance.now() >= deadline,
    remainingMs: () => Math.max(1, Math.floor(deadline - performance.now())),
    race<T>(work: Promise<T>) {
      const settled = work.then(
        (value): T | DbError => value,
        (err: unknown): DbError => {
          if (err instanceof DbError) return err;
          throw err;
        },
      );
      return Promise.race([settled, ended]);
    },
    close() {
      clearTimeout(timer);
      controller.abort();
    },
  };
}

/**
 * `work` over `items` with at most `limit` in flight, results in input order; items not started
 * because `stop()` said so (or whose work resolved undefined) are undefined.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  stop: () => boolean,
  work: (item: T) => Promise<R | undefined>,
): Promise<Array<R | undefined>> {
  const out: Array<R | undefined> = items.map(() => undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop()) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
