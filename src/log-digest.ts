import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A value that is written to the log only as a keyed digest (HMAC-SHA-256, 128 bits, hex): the
 * same text gives the same digest within one deployment, so lines can be correlated, while someone
 * who reads the logs cannot confirm a guessed query or username without the deployment's key
 * (issue 10 item 10: an unsalted hash let a guessed query be confirmed). The logger replaces it.
 */
export class LogDigest {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  /** The digest under `key`. */
  digest(key: Uint8Array): string {
    return createHmac('sha256', key).update(this.#text, 'utf8').digest('hex').slice(0, 32);
  }

  /** A sink that does not know digests (JSON.stringify) never sees the text. */
  toJSON(): string {
    return '[digest]';
  }
}

/** Marks `text` for the log as its keyed digest. */
export function logDigest(text: string): LogDigest {
  return new LogDigest(text);
}

const KEY_FILE = 'log-hash.key';

/**
 * The deployment's log-digest key: LOG_HASH_SECRET when configured (replicas then agree), else
 * 32 random bytes generated once and kept in `DATA_DIR/log-hash.key` (mode 0600), so digests stay
 * comparable across restarts. A key that cannot be persisted is an error, not a silent fallback.
 */
export function loadLogDigestKey(options: { secret?: string | undefined; dataDir: string }): Uint8Array {
  if (options.secret) return Buffer.from(options.secret, 'utf8');
  const path = join(options.dataDir, KEY_FILE);
  try {
    const stored = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(path, 0o600);
  return key;
}
