import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import sql from 'mssql';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { corpusUrl } from '../helpers/corpus.ts';

interface CorpusLine {
  id: string;
  sql: string;
  features: string[];
}

const CORPUS = corpusUrl('tsql-valid.jsonl');
const lines: CorpusLine[] = readFileSync(CORPUS, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as CorpusLine);

let db: TestDatabase;
let pool: sql.ConnectionPool;
before(async () => {
  db = await startTestDatabase();
  pool = await new sql.ConnectionPool({
    server: db.host,
    port: db.port,
    database: db.database,
    user: db.reader.user,
    password: db.reader.password,
    options: { encrypt: false, trustServerCertificate: true },
    pool: { max: 4 },
    requestTimeout: 60_000,
  }).connect();
});
after(async () => {
  await pool?.close();
  await db?.close();
});

test('at least 90% of the valid T-SQL corpus executes for the reader login over TDS', async () => {
  const failures: string[] = [];
  for (const line of lines) {
    try {
      await pool.request().query(line.sql);
    } catch (error) {
      const e = error as { number?: number; message?: string };
      failures.push(`${line.id} [${e.number ?? '?'}] ${e.message ?? String(error)}\n    ${line.sql.slice(0, 200)}`);
    }
  }
  const passed = lines.length - failures.length;
  process.stdout.write(`corpus: ${passed}/${lines.length} statements executed\n${failures.map((f) => `  ✗ ${f}`).join('\n')}\n`);
  assert.ok(passed / lines.length >= 0.9, `only ${passed}/${lines.length} executed`);
});
