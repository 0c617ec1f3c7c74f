import type { SessionIdentity } from './session-context.ts';
import type { Db } from './types.ts';

/**
 * The same database, with every query run for `identity` (its `SESSION_CONTEXT`, when the
 * database was created with `sessionContext`): how one caller's research reaches SQL Server as
 * that caller without each query site passing it along.
 */
export function withIdentity(db: Db, identity: SessionIdentity): Db {
  const usage = db.usage;
  return {
    query: (sql, params, options) => db.query(sql, params, { identity, ...options }),
    catalog: (options) => db.catalog(options),
    ping: () => db.ping(),
    checkPrivileges: () => db.checkPrivileges(),
    ...(usage ? { usage: () => usage.call(db) } : {}),
    close: () => db.close(),
  };
}
