import type { BatchEvent } from '../backend.ts';
import { TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import type { Runtime } from './runtime.ts';
import type { Statement } from './translate/split.ts';
import { isGroup, type Node, word } from './translate/tree.ts';

/**
 * BEGIN, COMMIT and ROLLBACK TRANSACTION, and the transactions `SET IMPLICIT_TRANSACTIONS ON`
 * opens by itself. The outermost transaction gets a descriptor the TDS layer sends in ENVCHANGE
 * and then expects in each request's ALL_HEADERS.
 */

/** Opens the outermost transaction: trancount 1 and a new descriptor (ENVCHANGE begin). */
export async function* openTransaction(rt: Runtime): AsyncGenerator<BatchEvent> {
  const s = rt.state;
  await runSimple(rt.pg, 'BEGIN');
  s.descriptor = rt.nextDescriptor();
  s.trancount = 1;
  yield { kind: 'transaction', state: 'begin', descriptor: s.descriptor };
}

export async function* begin(rt: Runtime): AsyncGenerator<BatchEvent> {
  if (rt.state.trancount === 0) yield* openTransaction(rt);
  else rt.state.trancount++;
  yield { kind: 'done' };
}

export async function* commit(rt: Runtime): AsyncGenerator<BatchEvent> {
  const s = rt.state;
  if (s.trancount === 0) throw new TsqlError(3902, 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.');
  s.trancount--;
  if (s.trancount === 0) {
    const r = await runSimple(rt.pg, 'COMMIT');
    const old = s.descriptor;
    s.descriptor = 0n;
    yield { kind: 'transaction', state: 'commit', descriptor: old };
    if (r.error) throw new TsqlError(3930, 'The current transaction cannot be committed.');
  }
  yield { kind: 'done' };
}

export async function* rollback(rt: Runtime): AsyncGenerator<BatchEvent> {
  const s = rt.state;
  if (s.trancount === 0) throw new TsqlError(3903, 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.');
  await runSimple(rt.pg, 'ROLLBACK');
  s.trancount = 0;
  const old = s.descriptor;
  s.descriptor = 0n;
  yield { kind: 'transaction', state: 'rollback', descriptor: old };
  yield { kind: 'done' };
}

/** Statements that open a transaction under IMPLICIT_TRANSACTIONS ON (SET IMPLICIT_TRANSACTIONS, SQL Server docs). */
const IMPLICIT_VERBS = new Set([
  'ALTER',
  'CREATE',
  'DELETE',
  'DENY',
  'DROP',
  'FETCH',
  'GRANT',
  'INSERT',
  'MERGE',
  'OPEN',
  'REVOKE',
  'TRUNCATE',
  'UPDATE',
]);

function mentionsFrom(nodes: readonly Node[]): boolean {
  return nodes.some((n) => (isGroup(n) ? mentionsFrom(n.items) : word(n) === 'FROM'));
}

/**
 * Whether a statement opens a transaction when IMPLICIT_TRANSACTIONS is ON and none is open: data
 * and schema changes, BEGIN TRANSACTION (which then nests to @@TRANCOUNT 2, as SQL Server does),
 * and a SELECT that reads a table ("SELECT 1" or "SELECT @@TRANCOUNT" does not).
 */
export function opensImplicitTransaction(stmt: Statement): boolean {
  const n = stmt.nodes;
  const first = word(n[0]);
  if (IMPLICIT_VERBS.has(first)) return true;
  if (first === 'BEGIN') return ['TRAN', 'TRANSACTION', 'DISTRIBUTED'].includes(word(n[1]));
  if (first === 'SELECT' || first === 'WITH') return mentionsFrom(n) || n.some((node) => IMPLICIT_VERBS.has(word(node)));
  return false;
}

/** The transaction IMPLICIT_TRANSACTIONS ON opens before `stmt`, if it does. */
export async function* implicitTransaction(rt: Runtime, stmt: Statement): AsyncGenerator<BatchEvent> {
  if (rt.state.implicitTransactions && rt.state.trancount === 0 && opensImplicitTransaction(stmt)) yield* openTransaction(rt);
}
