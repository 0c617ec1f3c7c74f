import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SearchOutput } from '../../src/research/types.ts';
import { parseId } from '../../src/research/ids.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor, expectOk as value, researchFor, type Stack } from './stack.ts';

const ids = (out: SearchOutput) => out.results.map((r) => r.id);

describe('research.search on the test database (reader login)', () => {
  let database: TestDatabase;
  let stack: Stack;
  before(async () => {
    database = await startTestDatabase({ fresh: true });
    stack = researchFor(dbFor(database, database.reader));
  });
  after(async () => {
    await stack?.db.close();
    await database?.close();
  });

  it('lists every table and view with row counts and citable urls, in 150 bytes a table on average', async () => {
    const out = value(await stack.research.search('list tables', stack.ctx));
    const catalog = await stack.db.catalog();
    assert.equal(out.results.length, catalog.tables.length);
    const orders = out.results.find((r) => r.id === 'table:sales.Orders');
    assert.ok(orders);
    const rows = (await stack.db.query('SELECT COUNT(*) FROM sales.Orders', [], { maxRows: 1, timeoutMs: 5_000 })).rows[0]?.[0];
    // Lean (issue 8): the description follows only as far as ~150 bytes an item allow.
    assert.ok(orders.title.startsWith(`sales.Orders — ${String(rows).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} rows`), orders.title);
    assert.ok(Buffer.byteLength(JSON.stringify(out.results)) / out.results.length <= 150, 'items take 150 bytes on average');
    assert.equal(orders.url, 'https://data.example.test/chatgpt/records/table%3Asales.Orders');
    for (const r of out.results) assert.match(r.url, /^https:\/\/data\.example\.test\/chatgpt\/records\/.+/);
  });

  it('lists the tables of one schema', async () => {
    const out = value(await stack.research.search('list tables in hr', stack.ctx));
    assert.ok(out.results.length > 0);
    assert.ok(out.results.every((r) => r.id.startsWith('table:hr.')));
    const missing = await stack.research.search('list tables in zzyzx', stack.ctx);
    assert.equal(!missing.ok && missing.code, 'NOT_FOUND');
    assert.match(missing.ok ? '' : missing.message, /Schemas: dbo, hr, sales/);
    for (const query of ['show tables in the hr schema', 'list the tables of schema hr', 'list tables in HR']) {
      const again = value(await stack.research.search(query, stack.ctx));
      assert.deepEqual(ids(again), ids(out), query);
    }
  });

  it('lists views only when asked for views', async () => {
    const out = value(await stack.research.search('list views', stack.ctx));
    assert.deepEqual(ids(out), [
      'table:dbo.vw_OpenTickets',
      'table:dbo.vw_ProductRatings',
      'table:hr.vw_EmployeeDirectory',
      'table:sales.vw_CustomerOrderSummary',
    ]);
    assert.deepEqual(ids(value(await stack.research.search('show all views in sales', stack.ctx))), [
      'table:sales.vw_CustomerOrderSummary',
    ]);
  });

  it('reads a list naming no schema as words: "list tables in human resources" is the hr schema', async () => {
    const out = value(await stack.research.search('list tables in human resources', stack.ctx));
    assert.ok(out.results[0]?.id.startsWith('table:hr.'), ids(out).join(' '));
  });

  for (const reference of ['sales.Orders', '[sales].[Orders]', 'SALES.orders', 'Orders']) {
    it(`describes a table written as ${reference}`, async () => {
      const out = value(await stack.research.search(`describe ${reference}`, stack.ctx));
      assert.deepEqual(ids(out), ['table:sales.Orders']);
      const text = out.results[0]?.text ?? '';
      assert.match(text, /OrderID int NOT NULL \(primary key\)/);
      assert.match(text, /Foreign keys:/);
      assert.match(text, /Indexes:/);
    });
  }

  it('samples rows with row ids that carry the primary key', async () => {
    const out = value(await stack.research.search('sample sales.Orders limit 3', stack.ctx));
    assert.equal(out.results.length, 4);
    assert.match(out.results[0]?.id ?? '', /^result:/);
    const rows = out.results.slice(1).map((r) => parseId(r.id));
    assert.ok(rows.every((p) => p?.kind === 'row' && p.schema === 'sales' && p.name === 'Orders' && typeof p.key[0] === 'number'));
  });

  it('reads describe or sample of something that is not a table as a natural-language search', async () => {
    for (const query of ['describe the refund process', 'sample tickets about a safety recall']) {
      const out = await stack.research.search(query, stack.ctx);
      assert.ok(out.ok, query);
      assert.equal(out.stats.form, 'natural_language', query);
    }
  });

  it('runs a read-only query: one result for the set plus one per row', async () => {
    const out = value(await stack.research.search('SELECT TOP (4) OrderID, Status FROM sales.Orders ORDER BY OrderID', stack.ctx));
    assert.equal(out.results.length, 5);
    assert.match(out.results[0]?.title ?? '', /4 rows/);
    assert.ok(out.results.slice(1).every((r) => r.id.startsWith('row:sales.Orders:')));
  });

  it('gives cache row ids when the rows do not carry a full key', async () => {
    const out = value(
      await stack.research.search('SELECT TOP (2) Status, COUNT(*) AS n FROM sales.Orders GROUP BY Status ORDER BY Status', stack.ctx),
    );
    assert.ok(out.results.slice(1).every((r) => r.id.startsWith('resultrow:')));
  });

  it('caps rows and says truncated', async () => {
    const out = await stack.research.search('SELECT OrderLineID FROM sales.OrderLines', stack.ctx);
    const v = value(out);
    assert.equal(v.truncated, true);
    assert.equal(v.results.length, 21);
    assert.equal(out.stats.truncated, true);
    assert.equal(out.stats.rows, 20);
  });

  it('refuses writes with the guard code before touching the database', async () => {
    const out = await stack.research.search('DELETE FROM sales.Orders', stack.ctx);
    assert.equal(out.ok, false);
    assert.equal(!out.ok && out.code, 'READ_ONLY_VIOLATION');
  });

  it('reports a failing query as QUERY_FAILED with advice', async () => {
    const out = await stack.research.search('SELECT NoSuchColumn FROM sales.Orders', stack.ctx);
    assert.equal(!out.ok && out.code, 'QUERY_FAILED');
  });

  it('finds tables and matching rows for natural language, with snippets', { timeout: 300_000 }, async () => {
    // The sandbox evaluates LIKE far slower than SQL Server: give the scan a generous budget.
    const patient = researchFor(stack.db, { limits: { queryTimeoutMs: 120_000 } });
    const out = value(await patient.research.search('safety recall', patient.ctx));
    const rows = out.results.filter((r) => r.id.startsWith('row:'));
    assert.ok(rows.length > 0, JSON.stringify(out.results.map((r) => r.id)));
    for (const r of rows) assert.match(r.text ?? '', /recall/i);
    const count = await stack.db.query(
      "SELECT COUNT(*) FROM dbo.SupportTickets WHERE Body LIKE N'%recall%' OR Subject LIKE N'%recall%'",
      [],
      { maxRows: 1, timeoutMs: 120_000 },
    );
    assert.ok(rows.filter((r) => r.id.startsWith('row:dbo.SupportTickets:')).length >= Math.min(Number(count.rows[0]?.[0]), 10));
  });

  it('returns rows that hold the words the query is about, not merely a table name it mentions', { timeout: 300_000 }, async () => {
    const out = value(await stack.research.search('customers complaining about late deliveries', stack.ctx));
    const rows = out.results.filter((r) => r.id.startsWith('row:'));
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const doc = value(await stack.research.fetch(r.id, stack.ctx));
      assert.match(doc.text, /late|complain/i, `${r.id} matched only a table name`);
    }
    assert.ok(
      out.results.some((r) => r.id === 'table:dbo.Deliveries'),
      'the table named by the query is still offered',
    );
  });

  it('keeps natural-language search within its time budget and says the answer is partial', async () => {
    const hurried = researchFor(stack.db, { limits: { queryTimeoutMs: 1 } });
    await stack.db.catalog();
    const started = performance.now();
    const out = value(await hurried.research.search('late deliveries', hurried.ctx));
    assert.ok(performance.now() - started < 1_000);
    assert.equal(out.truncated, true);
    assert.ok(out.results.some((r) => r.id === 'table:dbo.Deliveries'));
  });

  it('honours the whole-search budget even when single queries may run long, answering partial tables and rows', async () => {
    await stack.db.catalog();
    for (const searchBudgetMs of [1, 40]) {
      const hurried = researchFor(stack.db, { limits: { queryTimeoutMs: 60_000, searchBudgetMs } });
      const started = performance.now();
      const out = await hurried.research.search('customers complaining about late deliveries', hurried.ctx);
      const v = value(out);
      assert.ok(performance.now() - started < searchBudgetMs + 1_000, `budget ${searchBudgetMs} ms`);
      assert.equal(v.truncated, true, `budget ${searchBudgetMs} ms`);
      assert.ok(v.results.some((r) => r.id === 'table:dbo.Deliveries'));
    }
    // The slots the cut scans held come back: a later search still runs to completion.
    const full = value(await stack.research.search('refund for damaged item', stack.ctx));
    assert.ok(full.results.some((r) => r.id.startsWith('row:')));
  });

  it('caches query results under a random uuid when no uuid factory is given', async () => {
    // researchFor passes no `uuid` to createResearch: this runs the default (a bound crypto.randomUUID).
    const out = value(await stack.research.search('SELECT TOP (2) OrderID FROM sales.Orders ORDER BY OrderID', stack.ctx));
    const id = out.results[0]?.id ?? '';
    assert.match(id, /^result:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = value(await stack.research.search('SELECT TOP (2) OrderID FROM sales.Orders ORDER BY OrderID', stack.ctx));
    assert.notEqual(again.results[0]?.id, id);
    const doc = value(await stack.research.fetch(id, stack.ctx));
    assert.equal(doc.id, id);
  });

  it('answers BUSY as an outcome when every database slot stays taken', async () => {
    const narrowDb = dbFor(database, database.reader, { maxConcurrent: 1, busyWaitMs: 50 });
    const narrow = researchFor(narrowDb);
    try {
      await narrowDb.catalog();
      const slow = narrowDb.query("WAITFOR DELAY '00:00:01'", [], { maxRows: 1, timeoutMs: 5_000 });
      const out = await narrow.research.search('SELECT TOP (1) OrderID FROM sales.Orders', narrow.ctx);
      assert.equal(!out.ok && out.code, 'BUSY');
      await slow;
    } finally {
      await narrowDb.close();
    }
  });

  it('ranks tables by name and description for natural language', async () => {
    const out = value(await stack.research.search('customer refunds', stack.ctx));
    const tables = ids(out).filter((id) => id.startsWith('table:'));
    assert.ok(tables.includes('table:sales.Refunds'), tables.join(', '));
  });

  it('shrinks a search to the byte cap rather than failing', async () => {
    const small = researchFor(stack.db, { limits: { maxResultBytes: 2_000 } });
    const out = await small.research.search('list tables', small.ctx);
    const v = value(out);
    assert.equal(v.truncated, true);
    assert.ok(Buffer.byteLength(JSON.stringify(v)) <= 2_000);
    assert.ok(v.results.length > 0);
  });

  it('hides tables excluded by configuration', async () => {
    const hidden = researchFor(stack.db, { policy: { denySchemas: ['hr'] } });
    const list = value(await hidden.research.search('list tables', hidden.ctx));
    assert.ok(!list.results.some((r) => r.id.startsWith('table:hr.')));
    const describe = await hidden.research.search('describe hr.Employees', hidden.ctx);
    assert.equal(!describe.ok && describe.code, 'OBJECT_NOT_ALLOWED');
    const query = await hidden.research.search('SELECT * FROM hr.Employees', hidden.ctx);
    assert.equal(!query.ok && query.code, 'OBJECT_NOT_ALLOWED');
  });

  it('writes instructions naming the database, its schemas and the search forms', async () => {
    const text = await stack.research.instructions();
    assert.match(text, new RegExp(database.database));
    assert.match(text, /sales\.OrderLines/);
    assert.match(text, /list tables/);
    assert.match(text, /describe /);
  });
});
