import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rowId } from '../../src/research/ids.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor, expectOk as value, researchFor, type Stack } from './stack.ts';

describe('research.fetch on the test database (reader login)', () => {
  let database: TestDatabase;
  let stack: Stack;
  before(async () => {
    database = await startTestDatabase();
    stack = researchFor(dbFor(database, database.reader));
  });
  after(async () => {
    await stack?.db.close();
    await database?.close();
  });

  it('fetches a table document', async () => {
    const out = value(await stack.research.fetch('table:dbo.SupportTickets', stack.ctx));
    assert.equal(out.id, 'table:dbo.SupportTickets');
    assert.match(out.text, /Body nvarchar/);
    assert.deepEqual((out.metadata as { primaryKey: string[] }).primaryKey, ['TicketID']);
    assert.equal(out.url, 'https://data.example.test/chatgpt/records/table%3Adbo.SupportTickets');
  });

  it('fetches a row by its key, from a fresh research instance (another replica, empty cache)', async () => {
    const search = value(await stack.research.search('SELECT TOP (1) OrderID, Status FROM sales.Orders ORDER BY OrderID DESC', stack.ctx));
    const id = search.results[1]?.id ?? '';
    const replica = researchFor(stack.db, { principal: 'someone-else' });
    const out = value(await replica.research.fetch(id, replica.ctx));
    const expected = await stack.db.query('SELECT TOP (1) OrderID, Status FROM sales.Orders ORDER BY OrderID DESC', [], {
      maxRows: 1,
      timeoutMs: 5_000,
    });
    assert.match(out.text, new RegExp(`^OrderID: ${String(expected.rows[0]?.[0])}$`, 'm'));
    assert.match(out.text, new RegExp(`^Status: ${String(expected.rows[0]?.[1])}$`, 'm'));
    assert.deepEqual(out.metadata.primaryKey, { OrderID: expected.rows[0]?.[0] });
    assert.equal(out.metadata.table, 'sales.Orders');
  });

  it('fetches a row whose key is a bigint, parameterised with its own type', async () => {
    const sample = value(await stack.research.search('sample dbo.JobRuns limit 2', stack.ctx));
    const row = sample.results[2];
    assert.match(row?.id ?? '', /^row:dbo\.JobRuns:/);
    const out = value(await stack.research.fetch(row?.id ?? '', stack.ctx));
    assert.equal(out.metadata.table, 'dbo.JobRuns');
    const key = Object.values(out.metadata.primaryKey as Record<string, unknown>)[0];
    assert.match(out.text, new RegExp(`^JobRunID: ${String(key)}$`, 'm'));
    assert.ok(row?.title.startsWith(`dbo.JobRuns ${String(key)}`), row?.title);
  });

  it('says NOT_FOUND for a key that matches no row', async () => {
    const out = await stack.research.fetch(rowId('sales', 'Orders', [-987654]), stack.ctx);
    assert.equal(!out.ok && out.code, 'NOT_FOUND');
  });

  it('fetches a whole cached result set and single cached rows, for the same caller only', async () => {
    const search = value(
      await stack.research.search('SELECT TOP (3) Status, COUNT(*) AS n FROM sales.Orders GROUP BY Status ORDER BY Status', stack.ctx),
    );
    const resultIdValue = search.results[0]?.id ?? '';
    const whole = value(await stack.research.fetch(resultIdValue, stack.ctx));
    assert.match(whole.text, /^\| Status \| n \|\n\| --- \| --- \|/);
    assert.equal(whole.text.split('\n').length, 5);
    assert.equal(whole.metadata.rowCount, 3);
    const second = value(await stack.research.fetch(search.results[2]?.id ?? '', stack.ctx));
    assert.match(second.text, /^Status: .+\nn: \d+$/);
    const stranger = await stack.research.fetch(resultIdValue, { ...stack.ctx, principal: 'intruder' });
    assert.equal(!stranger.ok && stranger.code, 'NOT_FOUND');
    assert.match(!stranger.ok ? stranger.message : '', /search again/);
  });

  it('shows fewer rows of a large result rather than failing, and says so', async () => {
    const small = researchFor(stack.db, { limits: { maxResultBytes: 1_500, maxResults: 50 } });
    const search = value(
      await small.research.search('SELECT TOP (50) OrderID, Status, Total FROM sales.Orders ORDER BY OrderID', small.ctx),
    );
    const out = await small.research.fetch(search.results[0]?.id ?? '', small.ctx);
    const v = value(out);
    assert.ok(Buffer.byteLength(JSON.stringify(v)) <= 1_500);
    assert.match(v.text, /rows shown/);
    assert.equal(out.stats.truncated, true);
  });

  const malformed = ['', 'nonsense', 'table:sales', 'row:sales.Orders', 'result:not-a-uuid', 'SELECT * FROM sales.Orders'];
  for (const id of malformed) {
    it(`refuses the malformed id ${JSON.stringify(id)} with INVALID_INPUT`, async () => {
      const out = await stack.research.fetch(id, stack.ctx);
      assert.equal(!out.ok && out.code, 'INVALID_INPUT');
    });
  }

  it('says NOT_FOUND with advice for an expired result id and an unknown table', async () => {
    const expired = await stack.research.fetch('result:123e4567-e89b-42d3-a456-426614174000', stack.ctx);
    assert.equal(!expired.ok && expired.code, 'NOT_FOUND');
    const table = await stack.research.fetch('table:sales.NoSuchTable', stack.ctx);
    assert.equal(!table.ok && table.code, 'NOT_FOUND');
    assert.match(!table.ok ? table.message : '', /list tables/);
  });
});
