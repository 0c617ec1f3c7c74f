import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/db/types.ts';
import { buildBm25Index, ftsQuery, splitName, type Bm25Index } from '../../eval/search/bm25.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from '../integration/stack.ts';

describe('BM25 baseline query and names', () => {
  it('turns a query into an OR of quoted tokens, so FTS5 syntax in it is only words', () => {
    assert.equal(ftsQuery('Charged twice, NEAR(order) "6351"'), '"charged" OR "twice" OR "near" OR "order" OR "6351"');
    assert.equal(ftsQuery('beschädigt angekommen'), '"beschädigt" OR "angekommen"');
    assert.equal(ftsQuery('?! -- *'), undefined);
  });

  it('splits table and column names into words', () => {
    assert.equal(splitName('SupportTickets'), 'Support Tickets');
    assert.equal(splitName('OrderID'), 'Order ID');
    assert.equal(splitName('vw_CustomerOrderSummary'), 'vw_Customer Order Summary');
  });
});

describe('BM25 baseline over the test database', () => {
  let database: TestDatabase;
  let db: Db;
  let index: Bm25Index;
  before(async () => {
    database = await startTestDatabase();
    db = dbFor(database, database.reader);
    index = await buildBm25Index(db, await db.catalog());
  });
  after(async () => {
    index?.close();
    await db?.close();
    await database?.close();
  });

  it('indexes every row that has text and one document per table and view', async () => {
    const catalog = await db.catalog();
    assert.equal(index.documents.tables, catalog.tables.length);
    const count = async (table: string) =>
      Number((await db.query(`SELECT COUNT(*) FROM ${table}`, [], { maxRows: 1, timeoutMs: 10_000 })).rows[0]?.[0]);
    // Every ticket, review, customer and product has text; order lines have none.
    const always = (await Promise.all(['dbo.SupportTickets', 'sales.ProductReviews', 'sales.Customers', 'dbo.Products'].map(count))).reduce(
      (a, b) => a + b,
      0,
    );
    const withText = catalog.tables.filter((t) => t.kind === 'table' && t.primaryKey.length > 0 && t.columns.some((c) => c.isText));
    const upper = (await Promise.all(withText.map((t) => count(`[${t.schema}].[${t.name}]`)))).reduce((a, b) => a + b, 0);
    assert.ok(
      index.documents.rows >= always && index.documents.rows <= upper,
      `${index.documents.rows} rows indexed, expected ${always}..${upper}`,
    );
    assert.ok(!withText.some((t) => t.name === 'OrderLines'));
  });

  it('ranks the rare recall tickets first for their batch code, in the connector id format', () => {
    const { ids } = index.search('BF-0413 recall', 'rows', 5);
    assert.ok(ids.length > 0);
    assert.match(ids[0] ?? '', /^row:dbo\.SupportTickets:\d+$/);
  });

  it('answers a schema question from the table documents', () => {
    assert.deepEqual(index.search('parcel tracking number carrier', 'tables', 1).ids, ['table:dbo.Deliveries']);
  });
});
