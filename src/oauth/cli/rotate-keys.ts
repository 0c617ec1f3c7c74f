/**
 * `npm run rotate-keys [-- --data-dir <dir>]`: adds a new ES256 signing key to the OAuth store in
 * DATA_DIR (the server's default, `./.data`), or in Redis when STATE_STORE_URL is set (every replica then signs with it). The new key signs from the next token on (a running server reads the
 * store per signature); older keys stay in the JWKS and keep verifying until every token they signed
 * has expired (ACCESS_TOKEN_TTL_SECONDS), then a later rotation deletes them.
 * DATA_DIR and ACCESS_TOKEN_TTL_SECONDS are parsed by the server's own configuration schema.
 */
import { parseArgs } from 'node:util';
import { loadCliSettings } from '../../config.ts';
import { rotateSigningKey } from '../core/keys.ts';
import { openCliStore } from './open-store.ts';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });
let settings;
try {
  settings = loadCliSettings();
} catch (error) {
  process.stderr.write(`rotate-keys: ${(error as Error).message}\n`);
  process.exit(1);
}
const dataDir = values['data-dir'] ?? settings.dataDir;
const ttl = settings.accessTokenTtlSeconds;
let opened;
try {
  opened = await openCliStore(settings, dataDir, { mustExist: false });
} catch (error) {
  process.stderr.write(`rotate-keys: ${(error as Error).message}\n`);
  process.exit(1);
}
const { store } = opened;
try {
  const kid = await rotateSigningKey(store, { now: () => Date.now() }, ttl);
  const kept = (await store.listKeys()).map((key) => key.kid);
  process.stdout.write(`${JSON.stringify({ active: kid, verifying: kept })}\n`);
} finally {
  await opened.close();
}
