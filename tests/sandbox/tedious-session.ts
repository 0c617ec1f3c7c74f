import tedious from 'tedious';
import type { Credentials } from '../helpers/database.ts';

/** One tedious connection, for tests that need exactly one TDS session (transactions, resets). */
export interface TediousSession {
  connection: tedious.Connection;
  /** Runs a SQL batch; resolves with its rows, rejects with tedious's RequestError (`number` is SQL Server's). */
  rows(sql: string): Promise<unknown[][]>;
  /** Asks for RESETCONNECTION on the next request, as connection pools do. */
  reset(): Promise<void>;
  close(): void;
}

/** Connects tedious to a test database (no TLS: local sandbox). */
export async function openTediousSession(
  db: { host: string; port: number; database: string },
  login: Credentials,
): Promise<TediousSession> {
  const connection = new tedious.Connection({
    server: db.host,
    authentication: { type: 'default', options: { userName: login.user, password: login.password } },
    options: { port: db.port, database: db.database, encrypt: false, trustServerCertificate: true },
  });
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  return {
    connection,
    rows: (sql) =>
      new Promise((resolve, reject) => {
        const out: unknown[][] = [];
        const request = new tedious.Request(sql, (err) => (err ? reject(err) : resolve(out)));
        request.on('row', (columns: Array<{ value: unknown }>) => out.push(columns.map((c) => c.value)));
        connection.execSql(request);
      }),
    reset: () => new Promise((resolve, reject) => connection.reset((err) => (err ? reject(err) : resolve()))),
    close: () => connection.close(),
  };
}
