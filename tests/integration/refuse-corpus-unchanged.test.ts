import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DbError } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { quoteName, quotedTable } from '../../src/research/identifiers.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor, researchFor, type Stack } from './stack.ts';
import { loadCorpus } from '../helpers/corpus.ts';

const GUARD_CODES = new Set(['READ_ONLY_VIOLATION', 'SQL_PARSE_ERROR', 'SQL_TOO_LONG', 'OBJECT_NOT_ALLOWED']);
const corpus = loadCorpus('refuse');

const big = { maxRows: 1_000_000, timeoutMs: 60_000 };

/**
 * A fingerprint of the whole database: every object in sys.objects, and per table its row count and
 * checksum — `CHECKSUM_AGG(BINARY_CHECKSUM(*))` where the server has it, else a SHA-256 of all rows
 * in primary-key order.
 */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const objects = await db.query(
    'SELECT s.name AS s, o.name AS n, o.type AS t FROM sys.objects AS o INNER JOIN sys.schemas AS s ON s.schema_id = o.schema_id ORDER BY s.name, o.name, o.type',
    [],
    big,
  );
  out['sys.objects'] = JSON.stringify(objects.rows);
  const catalog = await db.catalog({ refresh: true });
  for (const table of catalog.tables.filter((t) => t.kind === 'table')) {
    const name = quotedTable(table);
    const count = await db.query(`SELECT COUNT(*) FROM ${name}`, [], big);
    let sum: string;
    try {
      const r = await db.query(`SELECT CHECKSUM_AGG(BINARY_CHECKSUM(*)) FROM ${name}`, [], big);
      sum = JSON.stringify(r.rows);
    } catch (err) {
      if (!(err instanceof DbError) || err.code !== 'QUERY_FAILED') throw err;
      const order = (table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name)).map(quoteName).join(', ');
      const rows = await db.query(`SELECT * FROM ${name} ORDER BY ${order}`, [], big);
      sum = createHash('sha256').update(JSON.stringify(rows.rows)).digest('hex');
    }
    out[`${table.schema}.${table.name}`] = `${JSON.stringify(count.rows)} ${sum}`;
  }
  return out;
}

describe('the refuse corpus through research.search on a login that CAN write', () => {
  let database: TestDatabase;
  let owner: Stack;
  let readerDb: Db;
  before(async () => {
    database = await startTestDatabase({ fresh: true });
    owner = researchFor(dbFor(database, database.owner), { limits: { queryTimeoutMs: 5_000 } });
    readerDb = dbFor(database, database.reader);
  });
  after(async () => {
    await owner?.db.close();
    await readerDb?.close();
    await database?.close();
  });

  it(`refuses all ${corpus.length} statements with a guard code and leaves the database unchanged`, { timeout: 600_000 }, async () => {
    assert.equal((await owner.db.checkPrivileges()).canWrite, true, 'the owner login must be able to write for this test to mean anything');
    const readerBefore = await readerDb.checkPrivileges();
    const before = await fingerprint(owner.db);
    const accepted: string[] = [];
    for (const c of corpus) {
      const outcome = await owner.research.search(c.sql, owner.ctx);
      if (outcome.ok || !GUARD_CODES.has(outcome.code))
        accepted.push(`${c.id} (${c.technique}): ${outcome.ok ? 'accepted' : outcome.code}`);
    }
    const afterPrint = await fingerprint(owner.db);
    assert.deepEqual(accepted, []);
    assert.deepEqual(afterPrint, before);
    assert.deepEqual(await readerDb.checkPrivileges(), readerBefore);
  });
});
