/**
 * `npm run rotate-keys [-- --data-dir <dir>]`: adds a new ES256 signing key to the OAuth store in
 * DATA_DIR (default `./data`). The new key signs from the next token on (a running server reads the
 * store per signature); older keys stay in the JWKS and keep verifying until every token they signed
 * has expired (ACCESS_TOKEN_TTL_SECONDS), then a later rotation deletes them.
 * As a CLI entry file it reads DATA_DIR and ACCESS_TOKEN_TTL_SECONDS itself.
 */
import { parseArgs } from 'node:util';
import { rotateSigningKey } from '../keys.ts';
import { createSqliteStore } from '../store-sqlite.ts';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
const ttl = Number(process.env.ACCESS_TOKEN_TTL_SECONDS ?? 3600);
if (!Number.isInteger(ttl) || ttl <= 0) {
  process.stderr.write('rotate-keys: ACCESS_TOKEN_TTL_SECONDS must be a positive integer\n');
  process.exit(1);
}
const store = createSqliteStore(dataDir);
try {
  const kid = await rotateSigningKey(store, { now: () => Date.now() }, ttl);
  const kept = store.listKeys().map((key) => key.kid);
  process.stdout.write(`${JSON.stringify({ active: kid, verifying: kept })}\n`);
} finally {
  store.close();
}
