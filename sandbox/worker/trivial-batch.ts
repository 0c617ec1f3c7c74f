import type { BatchEvent, ColumnMeta, SqlValue } from '../backend.ts';
import { splitStatements, type Statement } from '../engine/translate/split.ts';
import { endOf, isPunct, parseTree, splitCommas, word, type Node } from '../engine/translate/tree.ts';

/** The session state a trivial batch depends on, as the engine last reported it. */
export interface TrivialState {
  trancount: number;
  nocount: boolean;
  /** With IMPLICIT_TRANSACTIONS ON, BEGIN TRAN nests and SELECTs may open transactions: the engine decides. */
  implicitTransactions: boolean;
}

export interface TrivialAnswer {
  events: BatchEvent[];
  /** SET statements the engine session must still apply, in order, before its next request. */
  deferred: string[];
  nocount: boolean;
}

/** Session options the engine accepts with plain word or number arguments and no effect on data. */
const OPTIONS = new Set([
  'ANSI_NULLS',
  'ANSI_NULL_DFLT_ON',
  'ANSI_NULL_DFLT_OFF',
  'ANSI_PADDING',
  'ANSI_WARNINGS',
  'ARITHABORT',
  'ARITHIGNORE',
  'CONCAT_NULL_YIELDS_NULL',
  'CURSOR_CLOSE_ON_COMMIT',
  'QUOTED_IDENTIFIER',
  'NUMERIC_ROUNDABORT',
  'XACT_ABORT',
  'NOCOUNT',
  'IMPLICIT_TRANSACTIONS',
  'TEXTSIZE',
  'LANGUAGE',
  'DATEFORMAT',
  'DATEFIRST',
  'LOCK_TIMEOUT',
  'TRANSACTION',
  'DEADLOCK_PRIORITY',
]);
const MAX_INT = 2 ** 31 - 1;
const ALIAS_KINDS = ['word', 'bracket_identifier', 'quoted_identifier'];

/**
 * Answers, without the engine, a batch that touches no data: session `SET` options (the batch
 * drivers send on connect, `SET XACT_ABORT ON`, `SET LOCK_TIMEOUT n`), `BEGIN TRAN` … `COMMIT|ROLLBACK TRAN` that ends where it began,
 * `SELECT @@TRANCOUNT` and `SELECT` of integer, string and NULL literals — exactly the events the engine would produce
 * (tests/sandbox/trivial-batch.test.ts compares both). SQL Server runs such a batch, a health
 * probe's `SELECT 1`, while another session's statement runs; the sandbox's one PostgreSQL cannot,
 * so this keeps health checks answering while a long statement holds the engine. Anything else
 * returns undefined and goes to the engine.
 */
export function answerTrivially(sql: string, state: TrivialState, nextDescriptor: () => bigint): TrivialAnswer | undefined {
  if (state.trancount !== 0 || state.implicitTransactions) return undefined;
  const tree = parseTree(sql);
  if (tree.some((n) => n.kind === 'error' || n.kind === 'group')) return undefined;
  const events: BatchEvent[] = [];
  const deferred: string[] = [];
  let nocount = state.nocount;
  let descriptor: bigint | undefined;
  for (const stmt of splitStatements(tree, sql)) {
    const n = stmt.nodes;
    const verb = word(n[0]);
    if (verb === 'SET') {
      const option = word(n[1]);
      const args = n.slice(2);
      const plain = args.length > 0 && args.every((a, i) => a.kind === 'word' || a.kind === 'number' || (i === 0 && isPunct(a, '-')));
      // IMPLICIT_TRANSACTIONS ON changes what later statements do; the engine handles it.
      if (!OPTIONS.has(option) || !plain || (option === 'IMPLICIT_TRANSACTIONS' && word(args[0]) !== 'OFF')) return undefined;
      if (option === 'NOCOUNT') nocount = word(args[0]) === 'ON';
      deferred.push(textOf(stmt));
      events.push({ kind: 'done' });
    } else if (verb === 'BEGIN' && n.length === 2 && isTran(n[1]) && descriptor === undefined) {
      descriptor = nextDescriptor();
      events.push({ kind: 'transaction', state: 'begin', descriptor }, { kind: 'done' });
    } else if (
      (verb === 'COMMIT' || verb === 'ROLLBACK') &&
      n.length <= 2 &&
      (n.length === 1 || isTran(n[1])) &&
      descriptor !== undefined
    ) {
      events.push({ kind: 'transaction', state: verb === 'COMMIT' ? 'commit' : 'rollback', descriptor }, { kind: 'done' });
      descriptor = undefined;
    } else if (
      verb === 'SELECT' &&
      isTrancount(n[1]) &&
      (n.length === 2 || (n.length === 4 && word(n[2]) === 'AS') || n.length === 3) &&
      isAlias(n[n.length - 1])
    ) {
      const name = n.length === 2 ? '' : (n[n.length - 1] as { value: string }).value;
      events.push(
        { kind: 'columns', columns: [{ name, type: { name: 'int' }, nullable: true }] },
        { kind: 'row', values: [descriptor === undefined ? 0 : 1] },
        nocount ? { kind: 'done' } : { kind: 'done', rowCount: 1 },
      );
    } else if (verb === 'SELECT') {
      const select = literalSelect(n.slice(1));
      if (!select) return undefined;
      events.push(
        { kind: 'columns', columns: select.columns },
        { kind: 'row', values: select.values },
        nocount ? { kind: 'done' } : { kind: 'done', rowCount: 1 },
      );
    } else return undefined;
  }
  if (descriptor !== undefined) return undefined;
  return { events, deferred, nocount };
}

function isTrancount(node: Node | undefined): boolean {
  return node?.kind === 'variable' && node.text.toUpperCase() === '@@TRANCOUNT';
}

function isAlias(node: Node | undefined): boolean {
  return node !== undefined && (isTrancount(node) || ALIAS_KINDS.includes(node.kind)) && !['FROM', 'INTO', 'WHERE'].includes(word(node));
}

function isTran(node: Node | undefined): boolean {
  return word(node) === 'TRAN' || word(node) === 'TRANSACTION';
}

function textOf(stmt: Statement): string {
  const last = stmt.nodes[stmt.nodes.length - 1] as Node;
  return stmt.source.slice(stmt.start, endOf(last));
}

/** An optionally negative integer literal that fills the rest of `nodes` from `at`. */
function integerAt(nodes: readonly Node[], at: number): number | undefined {
  const negative = isPunct(nodes[at], '-');
  const digits = nodes[negative ? at + 1 : at];
  if (nodes.length !== (negative ? at + 2 : at + 1) || digits?.kind !== 'number' || !/^\d+$/.test(digits.text)) return undefined;
  const value = Number(digits.text);
  return value > MAX_INT ? undefined : negative ? -value : value;
}

function literalSelect(list: readonly Node[]): { columns: ColumnMeta[]; values: SqlValue[] } | undefined {
  const columns: ColumnMeta[] = [];
  const values: SqlValue[] = [];
  for (const item of splitCommas(list)) {
    const negative = isPunct(item[0], '-');
    const literal = negative ? item.slice(0, 2) : item.slice(0, 1);
    let rest = item.slice(literal.length);
    if (word(rest[0]) === 'AS') rest = rest.slice(1);
    const alias = rest[0];
    if (rest.length > 1 || (alias && !isAlias(alias)) || isTrancount(alias)) return undefined;
    const name = alias && alias.kind !== 'group' ? alias.value : '';
    const token = literal[literal.length - 1];
    if (token?.kind === 'number' && integerAt(literal, 0) !== undefined) {
      columns.push({ name, type: { name: 'int' }, nullable: true });
      values.push(integerAt(literal, 0) as number);
    } else if (!negative && token?.kind === 'string') {
      columns.push({ name, type: { name: 'nvarchar', length: 'max' }, nullable: true });
      values.push(token.value);
    } else if (!negative && word(token) === 'NULL') {
      columns.push({ name, type: { name: 'nvarchar', length: 'max' }, nullable: true });
      values.push(null);
    } else return undefined;
  }
  return columns.length > 0 ? { columns, values } : undefined;
}
