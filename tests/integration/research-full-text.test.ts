import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/db/types.ts';
import { qualifiedName } from '../../src/research/identifiers.ts';
import { searchTable, type SearchTable } from '../../src/research/nl/pick-tables.ts';
import { fullTextSearch, rankedSearch } from '../../src/research/nl/retrieve-sql.ts';
import { fullTextTables } from '../../src/research/nl/retrieve.ts';
import { loadThesaurus } from '../../src/research/nl/thesaurus.ts';
import { understand } from '../../src/research/nl/understand.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from './stack.ts';

/**
 * Both retrieval paths on the same questions: CONTAINSTABLE + RANK where a table has a full-text
 * index, the ranked LIKE search otherwise. The same question must find the same rows: the rare
 * needle (a safety recall) exactly; for common questions the full-text path's best rows are rows
 * the LIKE path matches too.
 */
const QUESTIONS = [
  { text: 'safety recall', exact: true },
  { text: 'arrived damaged', exact: false },
  { text: 'battery life', exact: false },
  { text: 'wooden toys', exact: false },
];

const keys = async (
  db: Db,
  s: SearchTable,
  q: { sql: string; params: import('../../src/db/types.ts').DbParam[] },
  n: number,
): Promise<string[]> => {
  const r = await db.query(q.sql, q.params, { maxRows: n, timeoutMs: 60_000 });
  const at = r.columns.findIndex((c) => c.name === s.table.primaryKey[0]);
  return r.rows.map((row) => String(row[at]));
};

describe('full-text and LIKE retrieval on the same questions', { timeout: 600_000 }, () => {
  let database: TestDatabase;
  let db: Db;
  before(async () => {
    database = await startTestDatabase();
    db = dbFor(database, database.reader);
  });
  after(async () => {
    await db?.close();
    await database?.close();
  });

  it('finds the same rows through CONTAINSTABLE as through the ranked LIKE search (skipped when the server has no full-text index)', async (t) => {
    const catalog = await db.catalog();
    const indexed = await fullTextTables(db, catalog, 10_000);
    const tables = catalog.tables
      .filter((x) => indexed.has(qualifiedName(x).toLowerCase()))
      .map((x) => searchTable(x))
      .filter((s): s is SearchTable => s !== undefined && s.textColumns.length > 0);
    if (tables.length === 0) {
      t.skip('no table has a full-text index on this server (sys.fulltext_indexes is empty or unknown)');
      return;
    }
    const thesaurus = loadThesaurus();
    for (const s of tables) {
      for (const question of QUESTIONS) {
        const u = understand(question.text, thesaurus);
        const user = u.terms.filter((x) => x.source === 'query');
        const ft = fullTextSearch(s, user, 20);
        assert.ok(ft);
        const viaFullText = await keys(db, s, ft, 20);
        // Every row the LIKE path matches at all (its whole ranked list), to test the full-text rows against.
        const viaLike = await keys(db, s, rankedSearch(s, user, 5_000), 5_000);
        const label = `${qualifiedName(s.table)} "${question.text}"`;
        if (question.exact) {
          assert.deepEqual([...viaFullText].sort(), [...viaLike].sort(), label);
          continue;
        }
        // A common question: both find rows, and the full-text path's best rows are rows the LIKE path matches.
        assert.equal(viaFullText.length > 0, viaLike.length > 0, label);
        const top = viaFullText.slice(0, 10);
        assert.deepEqual(
          top.filter((k) => !viaLike.includes(k)),
          [],
          `${label}: full-text rows the LIKE path does not match`,
        );
      }
    }
  });
});
