/**
 * The sandbox's FOR JSON / FOR XML as SQL Server sends them: a top-level document in rows of at
 * most 2,033 characters (which drivers join), and a FOR JSON/XML subquery used as a value as one
 * nvarchar(max) value that SET TEXTSIZE cuts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend, BatchEvent } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { errorsOf, events, READER, rowsOf, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
});
after(async () => {
  await backend.close();
});

const columnsOf = (evs: readonly BatchEvent[]): string[][] =>
  evs.flatMap((e) => (e.kind === 'columns' ? [e.columns.map((c) => c.name)] : []));

async function run(sql: string): Promise<BatchEvent[]> {
  return withSessions(backend, [READER], async (s) => {
    const evs = await events(s, sql);
    assert.deepEqual(errorsOf(evs), [], sql);
    return evs;
  });
}

describe('FOR JSON / FOR XML in the sandbox', () => {
  test('a top-level document arrives in rows of at most 2,033 characters under the name drivers join', async () => {
    const evs = await run("SELECT TOP 20 OrderID, REPLICATE('x', 500) AS pad FROM sales.Orders ORDER BY OrderID FOR JSON PATH");
    assert.deepEqual(columnsOf(evs), [['JSON_F52E2B61-18A1-11d1-B105-00805F49916B']]);
    const chunks = rowsOf(evs).map(([v]) => v as string);
    assert.ok(chunks.length > 4, `${chunks.length} rows`);
    assert.ok(chunks.every((c) => c.length <= 2033));
    assert.ok(chunks.slice(0, -1).every((c) => c.length === 2033));
    const document = JSON.parse(chunks.join('')) as { OrderID: number; pad: string }[];
    assert.equal(document.length, 20);
    assert.equal(document[0]?.pad, 'x'.repeat(500));
  });

  test('a top-level document over no rows is a result set without rows', async () => {
    const evs = await run('SELECT OrderID FROM sales.Orders WHERE OrderID < 0 FOR XML RAW');
    assert.deepEqual(columnsOf(evs), [['XML_F52E2B61-18A1-11d1-B105-00805F49916B']]);
    assert.deepEqual(rowsOf(evs), []);
  });

  const SAME: Array<{ name: string; top: string; value: string }> = [
    {
      name: 'FOR JSON PATH, INCLUDE_NULL_VALUES',
      top: 'SELECT TOP 3 OrderID, CAST(NULL AS int) AS n FROM sales.Orders ORDER BY OrderID FOR JSON PATH, INCLUDE_NULL_VALUES',
      value:
        'SELECT (SELECT TOP 3 OrderID, CAST(NULL AS int) AS n FROM sales.Orders ORDER BY OrderID FOR JSON PATH, INCLUDE_NULL_VALUES) AS j',
    },
    {
      name: "FOR XML PATH('o'), ROOT('r') after a CTE",
      top: "WITH o AS (SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID) SELECT OrderID FROM o FOR XML PATH('o'), ROOT('r')",
      value:
        "WITH o AS (SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID) SELECT (SELECT OrderID FROM o FOR XML PATH('o'), ROOT('r')) AS x",
    },
    {
      name: 'FOR XML RAW, TYPE cast to nvarchar(max)',
      top: 'SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML RAW, TYPE',
      value: 'SELECT CAST((SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML RAW, TYPE) AS nvarchar(max)) AS x',
    },
    {
      name: 'FOR JSON over UNION ALL',
      top: "SELECT 1 AS n, 'a' AS s UNION ALL SELECT 2, 'b' FOR JSON PATH",
      value: "SELECT (SELECT * FROM (SELECT 1 AS n, 'a' AS s UNION ALL SELECT 2, 'b') AS u FOR JSON PATH) AS j",
    },
  ];
  for (const { name, top, value } of SAME) {
    test(`${name}: a subquery used as a value holds the document the top-level query sends`, async () => {
      const document = rowsOf(await run(top))
        .map(([v]) => v)
        .join('');
      assert.ok(document.length > 0);
      assert.deepEqual(rowsOf(await run(value)), [[document]]);
    });
  }

  test('a FOR JSON subquery assigned to a variable or tested in IF holds the document', async () => {
    const evs = await run(
      'DECLARE @j nvarchar(max) = (SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR JSON PATH); IF (SELECT TOP 1 OrderID FROM sales.Orders ORDER BY OrderID FOR JSON PATH) = N\'[{"OrderID":1}]\' SELECT @j AS j',
    );
    assert.deepEqual(rowsOf(evs), [['[{"OrderID":1},{"OrderID":2}]']]);
  });

  test('a FOR JSON subquery over no rows is NULL', async () => {
    assert.deepEqual(rowsOf(await run('SELECT (SELECT OrderID FROM sales.Orders WHERE OrderID < 0 FOR JSON PATH) AS j')), [[null]]);
  });

  test('a FOR JSON subquery value is an nvarchar(max) that SET TEXTSIZE cuts', async () => {
    const evs = await run(
      "SET TEXTSIZE 100; SELECT (SELECT TOP 50 OrderID, REPLICATE('x', 100) AS pad FROM sales.Orders FOR JSON PATH) AS j",
    );
    const [[value]] = rowsOf(evs) as [[string]];
    assert.equal(value.length, 50);
    assert.ok(value.startsWith('[{"OrderID":'));
  });
});
