/**
 * Loads the sample `RetailDB` into a real SQL Server (the official 2022 image in CI, or any server
 * you own) with the real `mssql` driver, and creates the least-privilege reader login the
 * connector and the tests use. Idempotent: the database is dropped and recreated each run, the
 * login is created or has its password reset.
 *
 *   MSSQL_TEST_HOST=localhost MSSQL_TEST_OWNER_PASSWORD=… MSSQL_TEST_READER_PASSWORD=… \
 *     node scripts/load-sqlserver.ts
 *
 * Environment (the same names the tests read through tests/helpers/database.ts):
 *   MSSQL_TEST_HOST (default localhost), MSSQL_TEST_PORT (1433), MSSQL_TEST_DATABASE (RetailDB),
 *   MSSQL_TEST_OWNER_USER (sa), MSSQL_TEST_OWNER_PASSWORD (required),
 *   MSSQL_TEST_READER_USER (retail_reader), MSSQL_TEST_READER_PASSWORD (required),
 *   SAMPLE_SEED (optional, the generator's seed).
 *
 * Full-text indexes (products, reviews) are created when the server has Full-Text Search
 * installed (the official Linux image needs the mssql-server-fts package); SQL Server populates
 * them in the background, so the script waits until every full-text index has finished its
 * crawl and the catalog is idle, and the test suites then see the same rows as the sandbox.
 */
import sql from 'mssql';
import { FULLTEXT_CATALOG, generateSampleDatabase, sqlServerSetup } from '../sandbox/sample/index.ts';

const env = process.env;
function required(name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    process.stderr.write(`load-sqlserver: set ${name}\n`);
    process.exit(2);
  }
  return value;
}

const host = env.MSSQL_TEST_HOST ?? 'localhost';
const port = Number(env.MSSQL_TEST_PORT ?? 1433);
const database = env.MSSQL_TEST_DATABASE ?? 'RetailDB';
const owner = { user: env.MSSQL_TEST_OWNER_USER ?? 'sa', password: required('MSSQL_TEST_OWNER_PASSWORD') };
const reader = { user: env.MSSQL_TEST_READER_USER ?? 'retail_reader', password: required('MSSQL_TEST_READER_PASSWORD') };
const seed = env.SAMPLE_SEED === undefined ? undefined : Number(env.SAMPLE_SEED);
if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
  process.stderr.write('load-sqlserver: MSSQL_TEST_DATABASE must be a plain identifier\n');
  process.exit(2);
}

const log = (message: string) => process.stdout.write(`[load-sqlserver] ${message}\n`);

function config(db: string): sql.config {
  return {
    server: host,
    port,
    user: owner.user,
    password: owner.password,
    database: db,
    options: { encrypt: true, trustServerCertificate: true },
    requestTimeout: 300_000,
    connectionTimeout: 15_000,
    pool: { max: 1 },
  };
}

/** The server may still be starting (CI service containers report healthy early): retry for a minute. */
async function connect(db: string): Promise<sql.ConnectionPool> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await new sql.ConnectionPool(config(db)).connect();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      log(`waiting for ${host}:${port} (${(error as Error).message})`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

const started = Date.now();
const setup = sqlServerSetup({ database, readerUser: reader.user, readerPassword: reader.password });

const master = await connect('master');
log(`connected to ${host}:${port} as ${owner.user}; recreating ${database}`);
await master
  .request()
  .batch(
    `IF DB_ID(N'${database}') IS NOT NULL BEGIN ALTER DATABASE [${database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${database}]; END`,
  );
for (const statement of setup.server) await master.request().batch(statement);
await master.close();

const pool = await connect(database);
for (const statement of setup.database) await pool.request().batch(statement);
log(`reader login ${reader.user} is a db_datareader member of ${database}`);

const installed = await pool
  .request()
  .query<{ installed: number | null }>(`SELECT CAST(FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') AS int) AS installed`);
const fullText = installed.recordset[0]?.installed === 1;
if (!fullText)
  log(
    'Full-Text Search is not installed on this server: loading without full-text indexes (only the fallback search path will be exercised)',
  );

let batches = 0;
let rows = 0;
let lastReport = Date.now();
for (const batch of generateSampleDatabase({ fullText, ...(seed === undefined ? {} : { seed }) })) {
  const result = await pool.request().batch(batch);
  batches += 1;
  rows += result.rowsAffected.reduce((a, b) => a + b, 0);
  if (Date.now() - lastReport > 5000) {
    lastReport = Date.now();
    log(`${batches} batches, ${rows} rows inserted, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
}

/** Full-text population is asynchronous: wait (up to 10 minutes) until every index has crawled and the catalog is idle. */
async function waitForPopulation(): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const r = await pool
      .request()
      .input('catalog', sql.NVarChar, FULLTEXT_CATALOG)
      .query<{ pending: number; status: number | null }>(
        `SELECT (SELECT COUNT(*) FROM sys.fulltext_indexes WHERE has_crawl_completed = 0) AS pending,
              CAST(FULLTEXTCATALOGPROPERTY(@catalog, 'PopulateStatus') AS int) AS status`,
      );
    const row = r.recordset[0];
    if (row !== undefined && row.pending === 0 && row.status === 0) return;
    if (Date.now() > deadline)
      throw new Error(`full-text population did not finish in 10 minutes (pending ${row?.pending}, status ${row?.status})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
if (fullText) {
  await waitForPopulation();
  log(`full-text catalog ${FULLTEXT_CATALOG} populated`);
}

const counts = await pool.request().query<{ name: string; rows: number }>(
  `SELECT s.name + '.' + t.name AS name, SUM(p.rows) AS rows FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id
   JOIN sys.partitions p ON p.object_id = t.object_id AND p.index_id IN (0, 1) GROUP BY s.name, t.name ORDER BY s.name, t.name`,
);
for (const row of counts.recordset) log(`  ${row.name.padEnd(24)} ${row.rows}`);
await pool.close();
log(`done: ${batches} batches, ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
