import { startSandbox } from '../../sandbox/index.ts';

export interface Credentials {
  user: string;
  password: string;
}

/** The database a test talks to: the in-process sandbox, or a real SQL Server when MSSQL_TEST_HOST is set. */
export interface TestDatabase {
  kind: 'sandbox' | 'sqlserver';
  host: string;
  port: number;
  database: string;
  /** A login that may write (sandbox owner, or sa on a real server). */
  owner: Credentials;
  /** A db_datareader-style login. */
  reader: Credentials;
  close(): Promise<void>;
}

/** The variable `npm test` (scripts/run-tests.ts) sets to the shared sandbox's address and logins. */
export const SHARED_SANDBOX_ENV = 'TEST_SHARED_SANDBOX';

/** What SHARED_SANDBOX_ENV holds, as JSON. */
export interface SharedSandbox {
  host: string;
  port: number;
  database: string;
  owner: Credentials;
  reader: Credentials;
}

export interface TestDatabaseOptions {
  /**
   * A database of the test file's own, for files that write to it, close it or need it unchanged
   * by others. Without it a file gets the sandbox `npm test` shares between the files that only
   * read (or its own when run outside `npm test`).
   */
  fresh?: boolean;
}

/**
 * Starts the database for one test file. Real SQL Server tests run the same suites with
 * MSSQL_TEST_HOST, MSSQL_TEST_PORT, MSSQL_TEST_DATABASE, MSSQL_TEST_OWNER_USER/PASSWORD and
 * MSSQL_TEST_READER_USER/PASSWORD pointing at a server loaded with the sample database.
 */
export async function startTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const env = process.env;
  if (env.MSSQL_TEST_HOST) {
    return {
      kind: 'sqlserver',
      host: env.MSSQL_TEST_HOST,
      port: Number(env.MSSQL_TEST_PORT ?? 1433),
      database: env.MSSQL_TEST_DATABASE ?? 'RetailDB',
      owner: { user: env.MSSQL_TEST_OWNER_USER ?? 'sa', password: env.MSSQL_TEST_OWNER_PASSWORD ?? '' },
      reader: { user: env.MSSQL_TEST_READER_USER ?? 'retail_reader', password: env.MSSQL_TEST_READER_PASSWORD ?? '' },
      close: async () => {},
    };
  }
  const shared = options.fresh ? undefined : env[SHARED_SANDBOX_ENV];
  if (shared) {
    const s = JSON.parse(shared) as SharedSandbox;
    return { kind: 'sandbox', host: s.host, port: s.port, database: s.database, owner: s.owner, reader: s.reader, close: async () => {} };
  }
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
  return {
    kind: 'sandbox',
    host: sandbox.host,
    port: sandbox.port,
    database: sandbox.database,
    owner: sandbox.logins.owner,
    reader: sandbox.logins.reader,
    close: () => sandbox.close(),
  };
}

/**
 * The connector's MSSQL_* variables for a login on a test database (TLS on, the sandbox's
 * self-signed certificate trusted), for tests, the bench and anything else that starts the server.
 */
export function databaseEnv(database: TestDatabase, login: Credentials): Record<string, string> {
  return {
    MSSQL_HOST: database.host,
    MSSQL_PORT: String(database.port),
    MSSQL_DATABASE: database.database,
    MSSQL_USER: login.user,
    MSSQL_PASSWORD: login.password,
    MSSQL_ENCRYPT: 'true',
    MSSQL_TRUST_SERVER_CERTIFICATE: 'true',
  };
}
