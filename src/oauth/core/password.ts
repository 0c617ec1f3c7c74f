import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's minimum for scrypt), 32-byte key. */
const DEFAULT_LOG_N = 15;
const KEY_LENGTH = 32;
const PATTERN = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

/** An operator who may sign in: the username and an encoded scrypt hash. */
export interface OperatorAccount {
  user: string;
  hash: string;
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, length: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Encodes `password` as `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url), the AUTH_USERS format. */
export async function hashPassword(password: string, logN = DEFAULT_LOG_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, logN, 8, 1, KEY_LENGTH);
  return `scrypt$${logN}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Whether `encoded` is a well-formed hash this module can verify (bounded cost parameters). */
export function isPasswordHash(encoded: string): boolean {
  const match = PATTERN.exec(encoded);
  if (!match) return false;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return logN >= 10 && logN <= 20 && r >= 1 && r <= 16 && p >= 1 && p <= 4;
}

/** The log2 N cost of an encoded hash (so a dummy hash for unknown users costs the same). */
export function hashCost(encoded: string): number | undefined {
  const match = PATTERN.exec(encoded);
  return match ? Number(match[1]) : undefined;
}

/** Constant-time check of `password` against an encoded hash; malformed hashes never verify. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = PATTERN.exec(encoded);
  if (!match || !isPasswordHash(encoded)) return false;
  const expected = Buffer.from(match[5] ?? '', 'base64url');
  const salt = Buffer.from(match[4] ?? '', 'base64url');
  const key = await derive(password, salt, Number(match[1]), Number(match[2]), Number(match[3]), expected.length);
  return timingSafeEqual(key, expected);
}

/**
 * Parses AUTH_USERS: `user:scrypt$…` entries separated by commas or newlines. Throws a message
 * naming the bad entry's position (never its content, which holds a hash).
 */
export function parseAuthUsers(value: string): OperatorAccount[] {
  const entries = value
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const user = entry.slice(0, colon);
    const hash = entry.slice(colon + 1);
    if (colon < 1 || !/^[\w.@-]{1,64}$/.test(user) || !isPasswordHash(hash)) {
      throw new Error(`entry ${index + 1} is not "user:scrypt$…" (create one with npm run hash-password)`);
    }
    if (seen.has(user)) throw new Error(`entry ${index + 1} repeats a username`);
    seen.add(user);
    return { user, hash };
  });
}
