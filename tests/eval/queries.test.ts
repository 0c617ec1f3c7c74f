import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import type { Catalog, Db } from '../../src/db/types.ts';
import { quoteName, quotedTable } from '../../src/research/identifiers.ts';
import { ftsQuery } from '../../eval/search/bm25.ts';
import { MAX_GOLD_ROWS } from '../../eval/search/gold.ts';
import { DEV_QUERIES, KINDS, loadQuerySet, type EvalQuery, type GoldSet } from '../../eval/search/query-set.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from '../integration/stack.ts';

const queries = loadQuerySet();
/** The graded set and the development set tuned on (eval/search/dev-queries.jsonl): both judged by gold SQL. */
const sets = [
  { name: 'graded set', queries },
  { name: 'development set', queries: loadQuerySet(DEV_QUERIES) },
];

/** Words too common to count as shared vocabulary between a paraphrase and its rows. */
const STOP = new Set(
  'a an and are as at be been but by do does for from had has have how i in is it its me my no not of on or our so that the their them they this to up was we were what when where which who why with you your'.split(
    ' ',
  ),
);
/** A paraphrase may share a word with at most this share of the rows it targets (template filler). */
const MAX_PARAPHRASE_OVERLAP = 0.05;

describe('the search evaluation query set is well-formed', () => {
  it('has at least 60 queries of every kind, with a paraphrase subset among the text queries', () => {
    assert.ok(queries.length >= 60, `${queries.length} queries`);
    for (const kind of KINDS) assert.ok(queries.filter((q) => q.kind === kind).length >= 15, `fewer than 15 ${kind} queries`);
    const paraphrases = queries.filter((q) => q.paraphrase);
    assert.ok(paraphrases.length >= 8, `${paraphrases.length} paraphrases`);
    assert.ok(paraphrases.every((q) => q.kind === 'text'));
  });

  it('has unique query texts, and every query a grade-2 gold set', () => {
    assert.equal(new Set(queries.map((q) => q.query.toLowerCase())).size, queries.length);
    for (const q of queries)
      assert.ok(
        q.gold.some((g) => g.grade === 2),
        `${q.id} has no exact target`,
      );
  });

  it('judges schema queries by tables and text and entity queries by rows', () => {
    for (const q of queries) {
      const rowSets = q.gold.filter((g) => g.table !== undefined && g.grade === 2).length;
      if (q.kind === 'schema') assert.equal(rowSets, 0, `${q.id} judges rows`);
      else assert.ok(rowSets > 0, `${q.id} has no rows as its exact target`);
    }
  });
});

describe('every gold SQL of both query sets selects a non-empty set on the test database (real mssql driver)', () => {
  let database: TestDatabase;
  let db: Db;
  let catalog: Catalog;
  before(async () => {
    database = await startTestDatabase();
    db = dbFor(database, database.reader);
    catalog = await db.catalog();
  });
  after(async () => {
    await db?.close();
    await database?.close();
  });

  const tableOf = (name: string) => catalog.tables.find((t) => `${t.schema}.${t.name}` === name);
  const run = (gold: GoldSet) => db.query(gold.sql, [], { maxRows: MAX_GOLD_ROWS + 1, timeoutMs: 60_000 });

  for (const { name, queries } of sets) {
    it(`the ${name} has queries of every kind and paraphrases, each with an exact target`, () => {
      for (const kind of KINDS)
        assert.ok(
          queries.some((q) => q.kind === kind),
          `no ${kind} query`,
        );
      assert.ok(queries.some((q) => q.paraphrase));
      assert.ok(queries.every((q) => q.gold.some((g) => g.grade === 2)));
    });

    for (const q of queries) {
      it(`${name} ${q.id}: gold sets run and select existing ${q.kind === 'schema' ? 'tables' : 'rows'}`, async () => {
        for (const gold of q.gold) {
          const result = await run(gold);
          assert.ok(result.rows.length > 0, `${q.id}: empty gold set ${gold.sql}`);
          assert.ok(result.rows.length <= MAX_GOLD_ROWS, `${q.id}: more than ${MAX_GOLD_ROWS} rows`);
          if (gold.table === undefined) {
            assert.equal(result.columns.length, 2, `${q.id}: a table gold set selects (schema, name)`);
            for (const [schema, name] of result.rows) assert.ok(tableOf(`${schema}.${name}`), `${q.id}: no table ${schema}.${name}`);
          } else {
            const table = tableOf(gold.table);
            assert.ok(table, `${q.id}: no table ${gold.table}`);
            assert.deepEqual(
              result.columns.map((c) => c.name),
              table.primaryKey,
              `${q.id}: select the primary key of ${gold.table}`,
            );
          }
        }
      });
    }

    for (const q of queries.filter((x) => x.paraphrase)) {
      it(`${name} ${q.id}: the paraphrase "${q.query}" shares no content word with its target rows`, async () => {
        const overlap = await paraphraseOverlap(q);
        const shared = Object.entries(overlap.byWord)
          .map(([w, n]) => `${w} ${n}`)
          .join(', ');
        assert.ok(
          overlap.share <= MAX_PARAPHRASE_OVERLAP,
          `${(overlap.share * 100).toFixed(0)}% of ${overlap.rows} rows share a word (${shared}), e.g. ${overlap.example}`,
        );
      });
    }
  }

  /** Share of the grade-2 rows whose text holds any content word of the query, stemmed (FTS5 porter). */
  async function paraphraseOverlap(
    q: EvalQuery,
  ): Promise<{ share: number; rows: number; byWord: Record<string, number>; example: string }> {
    const words = (q.query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w));
    const match = ftsQuery(words.join(' '));
    assert.ok(match, `${q.id} has no content words`);
    const sqlite = new DatabaseSync(':memory:');
    sqlite.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')");
    const insert = sqlite.prepare('INSERT INTO t (body) VALUES (?)');
    for (const gold of q.gold.filter((g) => g.grade === 2)) {
      const table = tableOf(gold.table ?? '');
      assert.ok(table && table.primaryKey.length === 1, `${q.id}: paraphrase gold needs a single-column key`);
      const key = quoteName(table.primaryKey[0] ?? '');
      const text = table.columns.filter((c) => c.isText).map((c) => quoteName(c.name));
      const result = await db.query(`SELECT ${text.join(', ')} FROM ${quotedTable(table)} WHERE ${key} IN (${gold.sql})`, [], {
        maxRows: MAX_GOLD_ROWS,
        timeoutMs: 60_000,
      });
      for (const row of result.rows) insert.run(row.filter((v) => typeof v === 'string').join('\n'));
    }
    const rows = Number(sqlite.prepare('SELECT COUNT(*) AS n FROM t').get()?.n ?? 0);
    const matching = sqlite.prepare('SELECT body FROM t WHERE t MATCH ?');
    const hits = matching.all(match);
    const byWord = Object.fromEntries(words.map((w) => [w, matching.all(`"${w}"`).length]).filter(([, n]) => Number(n) > 0));
    sqlite.close();
    return { share: rows === 0 ? 1 : hits.length / rows, rows, byWord, example: String(hits[0]?.body ?? '').slice(0, 160) };
  }
});
