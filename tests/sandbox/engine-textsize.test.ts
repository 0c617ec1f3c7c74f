/** The sandbox's SET TEXTSIZE: large values are cut to the session's byte budget, as SQL Server does. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { events, READER, rowsOf, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
});
after(async () => {
  await backend.close();
});

describe('SET TEXTSIZE in the sandbox', () => {
  const cases: Array<{ set: string; select: string; expected: unknown }> = [
    { set: 'SET TEXTSIZE 10', select: "SELECT REPLICATE(CAST('x' AS nvarchar(max)), 100)", expected: 'xxxxx' },
    { set: 'SET TEXTSIZE 10', select: "SELECT CAST(REPLICATE('x', 100) AS varchar(max))", expected: 'xxxxxxxxxx' },
    { set: 'SET TEXTSIZE 10', select: "SELECT CAST('abc' AS nvarchar(max))", expected: 'abc' },
    { set: 'SET TEXTSIZE 10', select: "SELECT CAST(REPLICATE('y', 100) AS nvarchar(100))", expected: 'y'.repeat(100) },
    { set: 'SET TEXTSIZE 0', select: "SELECT LEN(REPLICATE(CAST('x' AS nvarchar(max)), 5000))", expected: 5000 },
    { set: 'SET TEXTSIZE -1', select: "SELECT REPLICATE(CAST('x' AS nvarchar(max)), 3000)", expected: 'x'.repeat(3000) },
    { set: 'SET TEXTSIZE 2147483647', select: "SELECT REPLICATE(CAST('z' AS nvarchar(max)), 3000)", expected: 'z'.repeat(3000) },
  ];
  for (const { set, select, expected } of cases) {
    test(`${set}; ${select} → ${JSON.stringify(expected).slice(0, 30)}`, async () => {
      await withSessions(backend, [READER], async (s) => {
        assert.deepEqual(rowsOf(await events(s, `${set}; ${select}`)), [[expected]]);
      });
    });
  }

  test('SET TEXTSIZE 0 resets to the 4096-byte default: 2048 nvarchar characters', async () => {
    await withSessions(backend, [READER], async (s) => {
      const [[value]] = rowsOf(await events(s, "SET TEXTSIZE 0; SELECT REPLICATE(CAST('x' AS nvarchar(max)), 5000)")) as [[string]];
      assert.equal(value.length, 2048);
    });
  });

  test('the setting lasts for the session, across batches', async () => {
    await withSessions(backend, [READER], async (s) => {
      await events(s, 'SET TEXTSIZE 20');
      assert.deepEqual(rowsOf(await events(s, "SELECT REPLICATE(CAST('q' AS nvarchar(max)), 50)")), [['q'.repeat(10)]]);
    });
  });
});
