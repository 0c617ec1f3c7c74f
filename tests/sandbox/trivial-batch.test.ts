import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend, BatchEvent } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { answerTrivially } from '../../sandbox/worker/trivial-batch.ts';
import { events, READER, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
});
after(async () => {
  await backend.close();
});

/** Descriptors differ between the engine's counter and the host's; their pairing must not. */
function normalised(evs: readonly BatchEvent[]): unknown[] {
  const names = new Map<bigint, string>();
  return evs.map((e) =>
    e.kind === 'transaction'
      ? { ...e, descriptor: names.get(e.descriptor) ?? (names.set(e.descriptor, `D${names.size}`), `D${names.size - 1}`) }
      : e,
  );
}

const TRIVIAL = [
  'SELECT 1',
  'SELECT 1 AS ok',
  "SELECT 1 AS a, N'x' AS b, NULL AS c, 'y' d, -5 e, 2 [two words]",
  "SELECT 'it''s' AS [quoted], 2147483647 AS big, -2147483647 AS small",
  'SET XACT_ABORT ON; SET LOCK_TIMEOUT 2000; BEGIN TRAN;\nSELECT 1 AS ok\nROLLBACK TRAN;',
  'BEGIN TRANSACTION SELECT 1 COMMIT',
  'SET NOCOUNT ON; SELECT 1 AS ok; SET NOCOUNT OFF; SELECT 2 AS ok',
  'SET LOCK_TIMEOUT -1 SELECT 3',
  'SELECT @@TRANCOUNT AS n',
  'SELECT @@trancount',
  // What tedious sends right after login.
  `set textsize 2147483647 set quoted_identifier on set arithabort on set numeric_roundabort off
   set ansi_warnings on set ansi_padding on set ansi_nulls on set concat_null_yields_null on set cursor_close_on_commit off
   set implicit_transactions off set language us_english set dateformat mdy set datefirst 7
   set transaction isolation level read committed`,
  'BEGIN TRAN SELECT @@TRANCOUNT [depth] ROLLBACK',
];

const NOT_TRIVIAL = [
  'SELECT 1 FROM sales.Orders',
  'SELECT TOP 1 1',
  'SELECT 1 WHERE 1 = 0',
  'SELECT 1 UNION SELECT 2',
  'SELECT 1.5',
  'SELECT 2147483648',
  'SELECT (1)',
  'SELECT ok = 1',
  'SELECT @@TRANCOUNT + 1',
  'SELECT @@SPID',
  'SELECT 1 INTO #t',
  'BEGIN TRAN',
  'COMMIT',
  'BEGIN TRAN SELECT 1',
  'SET ROWCOUNT 5 SELECT 1',
  'SET IMPLICIT_TRANSACTIONS ON',
  'SET IDENTITY_INSERT dbo.Products ON',
  'SET @x = 1',
  "SET LANGUAGE N'us_english'",
  'UPDATE dbo.Products SET Price = 1',
  "SELECT 'unterminated",
  'DECLARE @x int = 1; SELECT 1',
];

describe('trivial batches answered without the engine', () => {
  for (const sql of TRIVIAL) {
    test(`answers ${JSON.stringify(sql)} with exactly the engine's events`, async () => {
      await withSessions(backend, [READER], async (s) => {
        const before = s.status?.() ?? { trancount: 0, nocount: false, implicitTransactions: false };
        let next = 1000n;
        const answer = answerTrivially(sql, before, () => (next += 1n));
        assert.ok(answer, 'the batch should be answered without the engine');
        assert.deepEqual(normalised(answer.events), normalised(await events(s, sql)));
        assert.equal(answer.nocount, s.status?.().nocount);
      });
    });
  }
  for (const sql of NOT_TRIVIAL) {
    test(`leaves ${JSON.stringify(sql)} to the engine`, () => {
      assert.equal(
        answerTrivially(sql, { trancount: 0, nocount: false, implicitTransactions: false }, () => 1n),
        undefined,
      );
    });
  }
  test('leaves everything to the engine while the session has a transaction open', () => {
    assert.equal(
      answerTrivially('SELECT 1', { trancount: 1, nocount: false, implicitTransactions: false }, () => 1n),
      undefined,
    );
  });
  test('leaves everything to the engine while the session has IMPLICIT_TRANSACTIONS ON (BEGIN TRAN nests to 2 there)', () => {
    for (const sql of ['BEGIN TRAN SELECT @@TRANCOUNT ROLLBACK', 'SELECT 1', 'SET NOCOUNT ON'])
      assert.equal(
        answerTrivially(sql, { trancount: 0, nocount: false, implicitTransactions: true }, () => 1n),
        undefined,
        sql,
      );
  });
  test('answers a SELECT of the TRANCOUNT as 1 inside its own BEGIN TRAN', () => {
    const answer = answerTrivially(
      'BEGIN TRAN SELECT @@TRANCOUNT ROLLBACK',
      { trancount: 0, nocount: false, implicitTransactions: false },
      () => 7n,
    );
    assert.deepEqual(
      answer?.events.find((e) => e.kind === 'row'),
      { kind: 'row', values: [1] },
    );
  });
  test('defers the SET statements it answered, in order, for the engine session', () => {
    const answer = answerTrivially(
      'SET XACT_ABORT ON; SET LOCK_TIMEOUT 5 SELECT 1',
      { trancount: 0, nocount: false, implicitTransactions: false },
      () => 1n,
    );
    assert.deepEqual(answer?.deferred, ['SET XACT_ABORT ON', 'SET LOCK_TIMEOUT 5']);
  });
});
