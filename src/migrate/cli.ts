/**
 * `npm run migrate-state -- [--from <DATA_DIR>] [--to <redis-url>] [--dry-run]`: copies the OAuth
 * state of one machine (the embedded store, `oauth.sqlite` in DATA_DIR) into the Redis that
 * replicas share (STATE_STORE_URL): registered clients, signing keys, refresh-token grants,
 * browser sessions, sign-in counters and client-assertion markers that are still live. Users keep
 * their ChatGPT connection across the move. Idempotent (a second run copies only what is missing);
 * `--dry-run` writes nothing. Prints a JSON report; exit 2 when the target already holds signing
 * keys of its own (nothing is written then), 1 on any other error.
 *
 * Defaults come from the server's own configuration: `--from` is DATA_DIR, `--to` is
 * STATE_STORE_URL (prefer the variable: a password on the command line shows in `ps`), and
 * STATE_STORE_CA_FILE applies to a `rediss://` target.
 */
import { parseArgs } from 'node:util';
import { loadCliSettings } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createRedisOAuthStore } from '../oauth/core/store-redis.ts';
import { readStateStoreCa } from '../state/ca.ts';
import { createRedisCounters } from '../state/counters-redis.ts';
import { connectRedis } from '../state/redis.ts';
import { parseStateStoreUrl } from '../state/url.ts';
import { copyState, MigrationConflictError } from './copy-state.ts';
import { readSqliteState } from './sqlite-source.ts';

class CliError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
  const settings = loadCliSettings();
  const target = values.to !== undefined ? parseStateStoreUrl(values.to) : settings.stateStore;
  if (!target) throw new CliError('no target: pass --to redis://… or set STATE_STORE_URL');
  if ('problem' in target) throw new CliError(`--to ${target.problem}`);
  const from = values.from ?? settings.dataDir;
  const now = Date.now();
  const snapshot = readSqliteState(from, now);
  const ca = readStateStoreCa(target.url.startsWith('rediss:') ? settings.stateStore?.caFile : undefined);
  const connection = connectRedis({ url: target.url, logger: createLogger({ level: 'silent' }), ...ca });
  try {
    if (!(await connection.ready(5_000)))
      throw new CliError(`the state store at ${target.display} does not answer (${connection.health().error})`);
    const report = await copyState(
      snapshot,
      { store: createRedisOAuthStore(connection, { now: Date.now }), counters: createRedisCounters(connection) },
      { dryRun: values['dry-run'] === true, now },
    );
    process.stdout.write(`${JSON.stringify({ from, to: target.display, ...report }, null, 2)}\n`);
  } finally {
    await connection.close();
  }
}

await main().catch((error: unknown) => {
  process.stderr.write(`migrate-state: ${(error as Error).message}\n`);
  process.exitCode = error instanceof MigrationConflictError ? 2 : 1;
});
