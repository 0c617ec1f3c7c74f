import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliSettings } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { readStateStoreCa } from '../../state/ca.ts';
import { connectRedis } from '../../state/redis.ts';
import { createRedisOAuthStore } from '../core/store-redis.ts';
import { createSqliteStore } from '../core/store-sqlite.ts';
import type { OAuthStore } from '../core/types.ts';

/** The OAuth store an operator CLI works on, and how to let go of it. */
export interface CliStore {
  store: OAuthStore;
  close(): Promise<void>;
}

/**
 * The store the server uses: Redis when STATE_STORE_URL is set (waiting at most 5 s for it), else
 * the sqlite file in `dataDir`. `mustExist` refuses to create an empty sqlite store where the
 * operator mistyped the directory. Throws an Error whose message is for the operator.
 */
export async function openCliStore(settings: CliSettings, dataDir: string, options: { mustExist: boolean }): Promise<CliStore> {
  if (settings.stateStore) {
    const connection = connectRedis({
      url: settings.stateStore.url,
      logger: createLogger({ level: 'silent' }),
      ...readStateStoreCa(settings.stateStore.caFile),
    });
    if (!(await connection.ready(5_000))) {
      await connection.close();
      throw new Error(`the state store at ${settings.stateStore.display} does not answer (STATE_STORE_URL)`);
    }
    return { store: createRedisOAuthStore(connection, { now: Date.now }), close: () => connection.close() };
  }
  const file = join(dataDir, 'oauth.sqlite');
  if (options.mustExist && !existsSync(file)) throw new Error(`no OAuth store at ${file}`);
  const store = createSqliteStore(dataDir);
  return { store, close: () => store.close() };
}
