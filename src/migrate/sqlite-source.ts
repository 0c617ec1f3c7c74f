import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { refreshFromRow, SIGNING_KEYS_SQL, signingKeyFromRow } from '../oauth/core/store-sqlite.ts';
import type { BrowserSession, ClientRecord, RefreshFamily, RefreshTokenRecord, SigningKeyRecord } from '../oauth/core/types.ts';

/** A refresh-token family with its tokens, oldest first (each rotated one was rotated into the next). */
export interface FamilySnapshot {
  family: RefreshFamily;
  tokens: RefreshTokenRecord[];
}

/** A windowed counter (sign-in failures, lockouts) as the embedded store keeps it. */
export interface CounterSnapshot {
  key: string;
  count: number;
  resetAt: number;
}

/**
 * What an embedded OAuth store (`oauth.sqlite` in DATA_DIR) holds that is still live at `now`.
 * Authorization codes are left out: they live a minute, and the store seam cannot tell a code
 * already exchanged on the target from one never copied, so a second run could re-arm it.
 */
export interface StateSnapshot {
  clients: ClientRecord[];
  keys: SigningKeyRecord[];
  families: FamilySnapshot[];
  sessions: BrowserSession[];
  counters: CounterSnapshot[];
  /** Client-assertion `jti` markers still guarding against a replay. */
  assertions: Array<{ key: string; expiresAt: number }>;
}

export class SourceStoreError extends Error {
  readonly code = 'MIGRATE_SOURCE';
}

type Row = Record<string, unknown>;
const text = (row: Row, column: string): string => String(row[column] ?? '');
const int = (row: Row, column: string): number | undefined => (typeof row[column] === 'number' ? (row[column] as number) : undefined);

/**
 * Reads the embedded store read-only: the layout `createSqliteStore` (src/oauth/core/store-sqlite.ts)
 * writes, which tests/unit/migrate/sqlite-source.test.ts pins by writing through that store. The
 * file is never modified (a server may still be running on it; reads see its last commit).
 */
export function readSqliteState(dataDir: string, now: number): StateSnapshot {
  const file = join(dataDir, 'oauth.sqlite');
  if (!existsSync(file)) throw new SourceStoreError(`no OAuth store at ${file} (--from names the DATA_DIR that holds oauth.sqlite)`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (error) {
    throw new SourceStoreError(`cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const all = (sql: string, ...params: number[]) => db.prepare(sql).all(...params) as Row[];
    const json = <T>(row: Row): T => JSON.parse(text(row, 'json')) as T;
    const keys = all(SIGNING_KEYS_SQL).map(signingKeyFromRow);
    const tokens = new Map<string, RefreshTokenRecord[]>();
    for (const row of all('SELECT * FROM refresh_tokens WHERE expires_at > ? ORDER BY expires_at, hash', now)) {
      const token = refreshFromRow(row);
      if (token) tokens.set(token.familyId, [...(tokens.get(token.familyId) ?? []), token]);
    }
    const families = all("SELECT json, revoked FROM families ORDER BY json_extract(json, '$.createdAt'), id").flatMap((row) => {
      const family = { ...json<RefreshFamily>(row), revoked: int(row, 'revoked') === 1 };
      const live = tokens.get(family.familyId);
      return live ? [{ family, tokens: live }] : [];
    });
    return {
      clients: all("SELECT json FROM clients ORDER BY json_extract(json, '$.issuedAt'), id").map((row) => json<ClientRecord>(row)),
      keys,
      families,
      sessions: all('SELECT json FROM sessions WHERE expires_at > ?', now).map((row) => json<BrowserSession>(row)),
      counters: all('SELECT key, count, reset_at FROM counters WHERE reset_at > ? AND count > 0', now).map((row) => ({
        key: text(row, 'key'),
        count: int(row, 'count') ?? 0,
        resetAt: int(row, 'reset_at') ?? 0,
      })),
      assertions: all('SELECT key, expires_at FROM used_assertions WHERE expires_at > ?', now).map((row) => ({
        key: text(row, 'key'),
        expiresAt: int(row, 'expires_at') ?? 0,
      })),
    };
  } finally {
    db.close();
  }
}
