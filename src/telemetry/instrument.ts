import type { Cache } from '../cache/types.ts';
import type { Db } from '../db/types.ts';
import type { Guard } from '../sql-guard/types.ts';
import type { Metrics, OAuthEvent } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/** A stable error code of a failed query (DbError codes are a closed set), else `error`. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'error';
}

/**
 * The Db with every `query` timed (`mcp_db_query_duration_seconds{outcome}`) and traced (a child
 * span of the tool call it serves). Catalog reads and pings are not wrapped: they are few, cached,
 * and not what a tool call's latency is made of.
 */
export function instrumentDb(db: Db, metrics: Metrics, tracing: Tracing, namespace: string): Db {
  return {
    ...db,
    query(text, params, options) {
      const started = performance.now();
      return tracing
        .dbQuery({ namespace, text }, () => db.query(text, params, options), errorCode)
        .then(
          (result) => {
            metrics.dbQuery('ok', (performance.now() - started) / 1000);
            return result;
          },
          (error: unknown) => {
            metrics.dbQuery(errorCode(error), (performance.now() - started) / 1000);
            throw error;
          },
        );
    },
  };
}

/** The result cache with its hits and misses counted. */
export function instrumentCache<V>(cache: Cache<V>, metrics: Metrics): Cache<V> {
  return {
    ...cache,
    async get(scope, key) {
      const value = await cache.get(scope, key);
      metrics.cacheLookup(value !== undefined);
      return value;
    },
  };
}

/** The guard with its refusals counted by stable code. */
export function instrumentGuard(guard: Guard, metrics: Metrics): Guard {
  return {
    ...guard,
    check(sql) {
      const verdict = guard.check(sql);
      if (!verdict.ok) metrics.guardRefusal(verdict.code);
      return verdict;
    },
  };
}

/** The OAuth audit events that are counted, by the event name the OAuth server logs them under. */
const OAUTH_EVENTS: Record<string, (fields: Record<string, unknown> | undefined) => OAuthEvent | undefined> = {
  'oauth.client_registered': () => 'client_registered',
  'oauth.signin': () => 'signin_ok',
  'oauth.signin_failed': () => 'signin_failed',
  'oauth.signin_locked': () => 'signin_failed',
  'oauth.token_issued': (fields) => (fields?.grant === 'refresh_token' ? 'token_refreshed' : 'token_issued'),
  'oauth.revoked': () => 'token_revoked',
  'oauth.client_revoked': () => 'token_revoked',
};

export interface EventLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

/**
 * The OAuth server's logger, counting its audit events as they are written: the audit line and
 * the counter come from one call, so the two never disagree, and the OAuth code needs no second
 * reporting path.
 */
export function countingOAuthEvents(logger: EventLogger, metrics: Metrics): EventLogger {
  const count = (event: string, fields?: Record<string, unknown>): void => {
    const counted = OAUTH_EVENTS[event]?.(fields);
    if (counted) metrics.oauthEvent(counted);
  };
  return {
    info(event, fields) {
      count(event, fields);
      logger.info(event, fields);
    },
    warn(event, fields) {
      count(event, fields);
      logger.warn(event, fields);
    },
  };
}
