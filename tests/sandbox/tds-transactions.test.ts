import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { readOnce } from './reader-pool.ts';
import { openTediousSession, type TediousSession } from './tedious-session.ts';

/** tedious keeps the descriptor of the open transaction (from ENVCHANGE) and sends it in every request's ALL_HEADERS. */
const descriptors = (s: TediousSession): Buffer[] =>
  (s.connection as unknown as { transactionDescriptors: Buffer[] }).transactionDescriptors;
const current = (s: TediousSession): bigint => (descriptors(s).at(-1) as Buffer).readBigUInt64LE();

let db: TestDatabase;
let s: TediousSession;
const trancount = async (): Promise<number> => (await s.rows('SELECT @@TRANCOUNT'))[0]?.[0] as number;
/** The row's status as another connection sees it (only once this session holds no transaction). */
const committedStatus = async (orderId: number): Promise<string | undefined> =>
  (await readOnce<{ Status: string }>(db, `SELECT Status FROM sales.Orders WHERE OrderID = ${orderId}`))[0]?.Status;

describe('transactions as ODBC and JDBC drivers drive them, over tedious', () => {
  before(async () => {
    // Its own database: these tests write and hold transactions open.
    db = await startTestDatabase({ fresh: true });
    s = await openTediousSession(db, db.owner);
  });
  after(async () => {
    s?.close();
    await db?.close();
  });

  test('SET IMPLICIT_TRANSACTIONS ON: a SELECT from a table opens a transaction that stays open across batches until COMMIT; SELECT without a table does not', async () => {
    await s.rows('SET IMPLICIT_TRANSACTIONS ON');
    await s.rows('SELECT 1');
    assert.equal(await trancount(), 0);
    await s.rows('SELECT TOP 1 OrderID FROM sales.Orders');
    assert.equal(await trancount(), 1);
    assert.notEqual(current(s), 0n, 'the implicit transaction was announced with a descriptor');
    await s.rows("UPDATE sales.Orders SET Status = N'Implicit commit' WHERE OrderID = 5");
    assert.equal(await trancount(), 1);
    await s.rows('COMMIT');
    assert.equal(await trancount(), 0);
    assert.equal(current(s), 0n);
    assert.equal(await committedStatus(5), 'Implicit commit');
  });

  test('IMPLICIT_TRANSACTIONS ON: an UPDATE opens a transaction that ROLLBACK undoes; BEGIN TRAN then nests to @@TRANCOUNT 2', async () => {
    await s.rows("UPDATE sales.Orders SET Status = N'Rolled back' WHERE OrderID = 5");
    assert.equal(await trancount(), 1);
    await s.rows('ROLLBACK');
    assert.equal(await trancount(), 0);
    await s.rows('BEGIN TRAN');
    assert.equal(await trancount(), 2);
    await s.rows('COMMIT');
    assert.equal(await trancount(), 1);
    await s.rows('COMMIT');
    assert.equal(await trancount(), 0);
    assert.equal(await committedStatus(5), 'Implicit commit');
  });

  test('SET IMPLICIT_TRANSACTIONS OFF: each statement commits on its own again', async () => {
    await s.rows('SET IMPLICIT_TRANSACTIONS OFF');
    await s.rows("UPDATE sales.Orders SET Status = N'Autocommit' WHERE OrderID = 5");
    assert.equal(await trancount(), 0);
    assert.equal(await committedStatus(5), 'Autocommit');
  });

  test('each transaction gets a new non-zero descriptor in ENVCHANGE begin, and commit or rollback ends it', async () => {
    await s.rows('BEGIN TRAN');
    const first = current(s);
    await s.rows('COMMIT');
    assert.equal(current(s), 0n);
    await s.rows('BEGIN TRAN');
    const second = current(s);
    await s.rows('ROLLBACK');
    assert.notEqual(first, 0n);
    assert.notEqual(second, 0n);
    assert.notEqual(second, first);
    assert.equal(current(s), 0n);
  });

  test('a request carrying the descriptor of a transaction that has ended is refused with error 3989 and not run; the connection stays usable', async () => {
    await s.rows('BEGIN TRAN');
    const stale = descriptors(s).at(-1) as Buffer;
    await s.rows('COMMIT');
    descriptors(s).push(stale);
    await assert.rejects(
      s.rows("UPDATE sales.Orders SET Status = N'Stale' WHERE OrderID = 5"),
      (error: { number?: number; message: string }) => {
        assert.equal(error.number, 3989);
        assert.match(error.message, /should come with valid transaction descriptor/);
        return true;
      },
    );
    descriptors(s).pop();
    assert.equal(await trancount(), 0);
    assert.equal(await committedStatus(5), 'Autocommit');
  });

  test('a request carrying no descriptor while a transaction is open is refused with error 3989; with it, it runs in the transaction', async () => {
    await s.rows('BEGIN TRAN');
    const open = descriptors(s).pop() as Buffer;
    await assert.rejects(s.rows('SELECT 1'), { number: 3989 });
    descriptors(s).push(open);
    assert.equal(await trancount(), 1);
    await s.rows('ROLLBACK');
    assert.equal(await trancount(), 0);
  });
});
