import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type {
  ClientRecord,
  CodeRecord,
  ConsumeResult,
  GrantSummary,
  EmbeddedOAuthStore,
  RefreshFamily,
  RefreshTokenRecord,
  SigningKeyRecord,
} from './types.ts';

const SCHEMA = `
PRAGMA journal_mode = WAL;
PRAGMA busy_timeout = 5000;
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS codes (hash TEXT PRIMARY KEY, json TEXT NOT NULL, consumed INTEGER NOT NULL DEFAULT 0,
  family TEXT, retain_until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS families (id TEXT PRIMARY KEY, json TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS refresh_tokens (hash TEXT PRIMARY KEY, family TEXT NOT NULL, expires_at INTEGER NOT NULL,
  rotated_at INTEGER, grace_blob TEXT);
CREATE TABLE IF NOT EXISTS signing_keys (kid TEXT PRIMARY KEY, json TEXT NOT NULL, created_at INTEGER NOT NULL,
  retired_at INTEGER);
CREATE TABLE IF NOT EXISTS sessions (hash TEXT PRIMARY KEY, json TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER NOT NULL, reset_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS used_assertions (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
`;

type Row = Record<string, unknown>;
const str = (row: Row | undefined, column: string): string | undefined =>
  typeof row?.[column] === 'string' ? (row[column] as string) : undefined;
const num = (row: Row | undefined, column: string): number | undefined =>
  typeof row?.[column] === 'number' ? (row[column] as number) : undefined;

/** Every signing key, oldest first (the store's `listKeys`, and what a migration copies). */
export const SIGNING_KEYS_SQL = 'SELECT json, retired_at FROM signing_keys ORDER BY created_at, kid';

/** A `signing_keys` row as its record. */
export function signingKeyFromRow(row: Row): SigningKeyRecord {
  const key = JSON.parse(str(row, 'json') ?? '{}') as SigningKeyRecord;
  const retiredAt = num(row, 'retired_at');
  return retiredAt === undefined ? key : { ...key, retiredAt };
}

/** A `refresh_tokens` row (`SELECT *`) as its record; undefined for no row. */
export function refreshFromRow(row: Row | undefined): RefreshTokenRecord | undefined {
  const tokenHash = str(row, 'hash');
  const familyId = str(row, 'family');
  if (tokenHash === undefined || familyId === undefined) return undefined;
  const rotatedAt = num(row, 'rotated_at');
  const graceBlob = str(row, 'grace_blob');
  return {
    tokenHash,
    familyId,
    expiresAt: num(row, 'expires_at') ?? 0,
    ...(rotatedAt !== undefined ? { rotatedAt } : {}),
    ...(graceBlob !== undefined ? { graceBlob } : {}),
  };
}

/**
 * The embedded persistent `OAuthStore`: one `node:sqlite` file (`oauth.sqlite`, mode 0600) in
 * `dataDir`, so clients registered by ChatGPT, refresh-token families and signing keys survive a
 * restart or a new container on the same volume. Synchronous calls make each compare-and-set atomic
 * within the process; WAL plus a busy timeout lets the key-rotation CLI write while the server runs.
 */
export function createSqliteStore(dataDir: string): EmbeddedOAuthStore {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'oauth.sqlite');
  const db = new DatabaseSync(file);
  chmodSync(file, 0o600);
  db.exec(SCHEMA);
  const q = (sql: string) => db.prepare(sql);

  const getJson = <T>(sql: string, key: string): T | undefined => {
    const json = str(q(sql).get(key) as Row | undefined, 'json');
    return json === undefined ? undefined : (JSON.parse(json) as T);
  };

  return {
    saveClient: async (client) =>
      void q('INSERT OR REPLACE INTO clients (id, json) VALUES (?, ?)').run(client.clientId, JSON.stringify(client)),
    getClient: async (id) => getJson<ClientRecord>('SELECT json FROM clients WHERE id = ?', id),
    listClients: async () =>
      (q("SELECT json FROM clients ORDER BY json_extract(json, '$.issuedAt'), id").all() as Row[]).map(
        (row) => JSON.parse(str(row, 'json') ?? '{}') as ClientRecord,
      ),
    deleteClient: async (id) => Number(q('DELETE FROM clients WHERE id = ?').run(id).changes) === 1,
    async listGrants(clientId): Promise<GrantSummary[]> {
      const rows = q(
        `SELECT f.json, f.revoked, MAX(r.rotated_at) AS last FROM families f LEFT JOIN refresh_tokens r ON r.family = f.id
         WHERE json_extract(f.json, '$.clientId') = ? GROUP BY f.id ORDER BY json_extract(f.json, '$.createdAt'), f.id`,
      ).all(clientId) as Row[];
      return rows.map((row) => {
        const family = JSON.parse(str(row, 'json') ?? '{}') as RefreshFamily;
        return { ...family, revoked: num(row, 'revoked') === 1, lastIssuedAt: Math.max(family.createdAt, num(row, 'last') ?? 0) };
      });
    },

    saveCode: async (code) =>
      void q('INSERT INTO codes (hash, json, retain_until) VALUES (?, ?, ?)').run(code.codeHash, JSON.stringify(code), code.expiresAt),
    async consumeCode(hash, _now, retainUntil): Promise<ConsumeResult> {
      const row = q('SELECT json, consumed, family FROM codes WHERE hash = ?').get(hash) as Row | undefined;
      const json = str(row, 'json');
      if (json === undefined) return { status: 'unknown' };
      const code = JSON.parse(json) as CodeRecord;
      const won = q('UPDATE codes SET consumed = 1, retain_until = ? WHERE hash = ? AND consumed = 0').run(retainUntil, hash);
      if (Number(won.changes) === 1) return { status: 'ok', code };
      const familyId = str(q('SELECT family FROM codes WHERE hash = ?').get(hash) as Row | undefined, 'family');
      return familyId ? { status: 'replayed', code, familyId } : { status: 'replayed', code };
    },
    setCodeFamily: async (hash, familyId) => void q('UPDATE codes SET family = ? WHERE hash = ?').run(familyId, hash),

    async createFamily(family, token) {
      db.exec('BEGIN');
      try {
        q('INSERT INTO families (id, json, revoked) VALUES (?, ?, ?)').run(family.familyId, JSON.stringify(family), family.revoked ? 1 : 0);
        q('INSERT INTO refresh_tokens (hash, family, expires_at) VALUES (?, ?, ?)').run(token.tokenHash, token.familyId, token.expiresAt);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async getFamily(id) {
      const row = q('SELECT json, revoked FROM families WHERE id = ?').get(id) as Row | undefined;
      const json = str(row, 'json');
      if (json === undefined) return undefined;
      return { ...(JSON.parse(json) as RefreshFamily), revoked: num(row, 'revoked') === 1 };
    },
    async findRefresh(hash) {
      return refreshFromRow(q('SELECT * FROM refresh_tokens WHERE hash = ?').get(hash) as Row | undefined);
    },
    async rotateRefresh(oldHash, rotatedAt, graceBlob, next) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const won = q('UPDATE refresh_tokens SET rotated_at = ?, grace_blob = ? WHERE hash = ? AND rotated_at IS NULL').run(
          rotatedAt,
          graceBlob,
          oldHash,
        );
        if (Number(won.changes) !== 1) {
          db.exec('ROLLBACK');
          return false;
        }
        q('INSERT INTO refresh_tokens (hash, family, expires_at) VALUES (?, ?, ?)').run(next.tokenHash, next.familyId, next.expiresAt);
        db.exec('COMMIT');
        return true;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    revokeFamily: async (id) => void q('UPDATE families SET revoked = 1 WHERE id = ?').run(id),

    async listKeys() {
      return (q(SIGNING_KEYS_SQL).all() as Row[]).map(signingKeyFromRow);
    },
    async addKey(key) {
      db.exec('BEGIN IMMEDIATE');
      try {
        q('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL').run(key.createdAt);
        q('INSERT INTO signing_keys (kid, json, created_at) VALUES (?, ?, ?)').run(key.kid, JSON.stringify(key), key.createdAt);
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    deleteKey: async (kid) => void q('DELETE FROM signing_keys WHERE kid = ?').run(kid),

    saveSession: async (session) =>
      void q('INSERT OR REPLACE INTO sessions (hash, json, expires_at) VALUES (?, ?, ?)').run(
        session.idHash,
        JSON.stringify(session),
        session.expiresAt,
      ),
    getSession: async (hash) => getJson('SELECT json FROM sessions WHERE hash = ?', hash),
    deleteSession: async (hash) => void q('DELETE FROM sessions WHERE hash = ?').run(hash),

    hitCounter(key, now, windowMs) {
      q('DELETE FROM counters WHERE key = ? AND reset_at <= ?').run(key, now);
      q('INSERT INTO counters (key, count, reset_at) VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET count = count + 1').run(
        key,
        now + windowMs,
      );
      return num(q('SELECT count FROM counters WHERE key = ?').get(key) as Row | undefined, 'count') ?? 1;
    },
    getCounter: (key, now) =>
      num(q('SELECT count FROM counters WHERE key = ? AND reset_at > ?').get(key, now) as Row | undefined, 'count') ?? 0,
    resetCounter: (key) => void q('DELETE FROM counters WHERE key = ?').run(key),
    reserveCounter(key, now, windowMs, max) {
      // One write transaction: another process on the same file (a second replica) cannot
      // interleave between the check and the count.
      db.exec('BEGIN IMMEDIATE');
      try {
        q('DELETE FROM counters WHERE key = ? AND reset_at <= ?').run(key, now);
        const row = q('SELECT count, reset_at FROM counters WHERE key = ?').get(key) as Row | undefined;
        const count = num(row, 'count') ?? 0;
        if (row && count >= max) {
          db.exec('COMMIT');
          return { ok: false, resetAt: num(row, 'reset_at') ?? now };
        }
        q('INSERT INTO counters (key, count, reset_at) VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET count = count + 1').run(
          key,
          now + windowMs,
        );
        db.exec('COMMIT');
        return { ok: true, count: count + 1 };
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    releaseCounter: (key) => void q('UPDATE counters SET count = count - 1 WHERE key = ? AND count > 0').run(key),

    async useOnce(key, expiresAt, now) {
      q('DELETE FROM used_assertions WHERE key = ? AND expires_at <= ?').run(key, now);
      return Number(q('INSERT OR IGNORE INTO used_assertions (key, expires_at) VALUES (?, ?)').run(key, expiresAt).changes) === 1;
    },

    async purge(now) {
      q('DELETE FROM used_assertions WHERE expires_at <= ?').run(now);
      q('DELETE FROM codes WHERE retain_until <= ?').run(now);
      q('DELETE FROM sessions WHERE expires_at <= ?').run(now);
      q('DELETE FROM counters WHERE reset_at <= ?').run(now);
      q('DELETE FROM refresh_tokens WHERE expires_at <= ?').run(now);
    },
    close: async () => db.close(),
  };
}
