import { after, before } from 'node:test';
import sql from 'mssql';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';

/** A connected `mssql` pool for the test database's read-only login, without TLS (local sandbox). */
export async function openReaderPool(db: TestDatabase): Promise<sql.ConnectionPool> {
  return openPool(db, db.reader);
}

/** A connected `mssql` pool for one login of the test database, without TLS (local sandbox); `options` adds driver options. */
export async function openPool(
  db: TestDatabase,
  login: TestDatabase['reader'],
  options: sql.config['options'] = {},
): Promise<sql.ConnectionPool> {
  return new sql.ConnectionPool({
    server: db.host,
    port: db.port,
    database: db.database,
    user: login.user,
    password: login.password,
    options: { encrypt: false, trustServerCertificate: true, ...options },
  }).connect();
}

/** Runs one query on a fresh reader connection (so it sees only committed data) and closes it. */
export async function readOnce<T>(db: TestDatabase, sql: string): Promise<T[]> {
  const pool = await openReaderPool(db);
  try {
    return (await pool.request().query<T>(sql)).recordset;
  } finally {
    await pool.close();
  }
}

/**
 * Registers before/after hooks in the current suite that start the test database and a reader
 * pool and close both; returns the pool's getter (valid once the hooks have run).
 */
export function useReaderPool(): () => sql.ConnectionPool {
  let db: TestDatabase | undefined;
  let pool: sql.ConnectionPool | undefined;
  before(async () => {
    db = await startTestDatabase();
    pool = await openReaderPool(db);
  });
  after(async () => {
    await pool?.close();
    await db?.close();
  });
  return () => {
    if (!pool) throw new Error('the reader pool is used before its before() hook ran');
    return pool;
  };
}
