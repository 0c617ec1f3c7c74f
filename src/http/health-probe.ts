import type { Db, DbHealth } from '../db/types.ts';

export interface HealthProbeOptions {
  db: Pick<Db, 'ping'>;
  /** Longest a database check may take before it counts as down. */
  timeoutMs: number;
  /** A result younger than this is served as is: at most one probe per interval. */
  intervalMs: number;
  now?: () => number;
}

/** The last database check, shared by every `/health` caller. */
export type HealthProbe = () => Promise<DbHealth>;

/**
 * `/health` is public and unauthenticated, so its database round trip must not scale with
 * traffic (issue 10 item 13: 40 parallel callers slowed tool calls 4–6×). Callers share one
 * probe: a result younger than `intervalMs` is served from memory, and callers that arrive while
 * a probe is running wait for that probe instead of starting another. At most one probe per
 * interval, whatever the traffic; no timer to stop on shutdown.
 */
export function createHealthProbe(options: HealthProbeOptions): HealthProbe {
  const now = options.now ?? Date.now;
  let last: { at: number; result: DbHealth } | undefined;
  let running: Promise<DbHealth> | undefined;
  return function probe() {
    if (last && now() - last.at < options.intervalMs) return Promise.resolve(last.result);
    running ??= pingWithin(options.db, options.timeoutMs).then((result) => {
      last = { at: now(), result };
      running = undefined;
      return result;
    });
    return running;
  };
}

async function pingWithin(db: Pick<Db, 'ping'>, timeoutMs: number): Promise<DbHealth> {
  const started = performance.now();
  const down = (error: string): DbHealth => ({
    ok: false,
    latencyMs: performance.now() - started,
    pool: { size: 0, available: 0, borrowed: 0, pending: 0 },
    error,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DbHealth>((resolve) => {
    timer = setTimeout(() => resolve(down(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([db.ping().catch(() => down('database unreachable')), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
