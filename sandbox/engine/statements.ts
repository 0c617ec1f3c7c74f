import type { BatchEvent } from '../backend.ts';
import { TsqlError, syntaxError } from './errors.ts';
import { collectQuery, execute, affected, streamQuery, type RunOptions } from './executor.ts';
import { formatFor, forText } from './for-clause.ts';
import { loadFullText } from './fulltext-context.ts';
import { mapPgError } from './pg-errors.ts';
import { runSimple } from './pg.ts';
import { shapeResult, withTypes } from './result-types.ts';
import type { Runtime } from './runtime.ts';
import type { Variables } from './session-state.ts';
import { docType, quoteLiteral, type TranslateContext } from './translate/context.ts';
import { createEmitter } from './translate/emit.ts';
import type { Statement } from './translate/split.ts';
import { translateStatement, type Translated } from './translate/statement.ts';
import { word, type Node } from './translate/tree.ts';
import { runSessionStatement } from './session-statements.ts';

/** A fresh translation context for one statement. */
export function contextFor(rt: Runtime, vars: Variables): TranslateContext {
  const s = rt.state;
  return {
    database: s.database,
    login: s.login,
    spid: s.spid,
    trancount: s.trancount,
    rowcount: s.rowcount,
    lastError: s.lastError,
    lockTimeout: s.lockTimeout,
    variables: vars,
    spellings: new Map(),
  };
}

/** Executor options for a statement (errors mapped with the statement's own spellings). */
export function runOptions(rt: Runtime, ctx: TranslateContext, t: Pick<Translated, 'verb' | 'target'>): RunOptions {
  const spell = (n: string): string => ctx.spellings.get(n.toLowerCase()) ?? rt.declared.nameOf(n.toLowerCase()) ?? n;
  return {
    pg: rt.pg,
    declared: rt.declared,
    inTransaction: rt.state.trancount > 0,
    signal: rt.signal,
    names: withTypes(ctx.outputNames, ctx.outputTypes),
    spell,
    fail: (err) => mapPgError(err, { verb: t.verb, database: rt.state.database, target: t.target, spell }),
  };
}

/** Evaluates a scalar T-SQL expression to PostgreSQL text (variables, SET, PRINT, EXEC arguments). */
export async function evalScalar(rt: Runtime, vars: Variables, expr: readonly Node[], cast?: string): Promise<string | null> {
  const ctx = contextFor(rt, vars);
  await loadFullText(rt, ctx, expr);
  const sql = createEmitter(ctx).nodes(expr, 1);
  const query = cast ? `SELECT CAST((${sql}) AS ${cast})` : `SELECT (${sql})`;
  const o = runOptions(rt, ctx, { verb: 'SELECT' });
  const r = await collectQuery(await withForSubqueries(ctx, query, o), o);
  return r.rows[0]?.[0] ?? null;
}

/** Runs one statement, yielding its events; SQL errors become ERROR events, never exceptions. */
export async function* runStatement(rt: Runtime, stmt: Statement, vars: Variables, line: number): AsyncGenerator<BatchEvent> {
  try {
    const first = word(stmt.nodes[0]);
    const handled = yield* runSessionStatement(rt, stmt, vars, first);
    if (!handled) yield* runTranslated(rt, stmt, vars);
  } catch (error) {
    const err =
      error instanceof TsqlError
        ? error
        : new TsqlError(50000, `Sandbox engine failure: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    rt.state.lastError = err.number;
    yield { kind: 'error', message: err.toMessage(line) };
    yield { kind: 'done', error: true };
  }
}

async function* runTranslated(rt: Runtime, stmt: Statement, vars: Variables): AsyncGenerator<BatchEvent> {
  const ctx = contextFor(rt, vars);
  await loadFullText(rt, ctx, stmt.nodes);
  const translated = translateStatement(stmt.nodes, ctx, stmt.source);
  const o = runOptions(rt, ctx, translated);
  const t = { ...translated, sql: await withForSubqueries(ctx, translated.sql, o) };
  const count = (n: number): BatchEvent => (rt.state.nocount ? { kind: 'done' } : { kind: 'done', rowCount: n });
  if (t.kind === 'query' && ctx.assignTargets) {
    const r = await collectQuery(t.sql, o);
    const last = r.rows[r.rows.length - 1];
    if (last)
      ctx.assignTargets.forEach((name, i) => {
        const v = vars.get(name);
        if (!v) throw new TsqlError(137, `Must declare the scalar variable "${name}".`, { severity: 15, state: 2 });
        v.value = last[i] ?? null;
      });
    rt.state.rowcount = r.rows.length;
    yield count(r.rows.length);
    return;
  }
  if (t.kind === 'query' && ctx.forClause) {
    const r = await collectQuery(t.sql, o);
    const cols = r.events[0]?.kind === 'columns' ? r.events[0].columns : [];
    yield* formatFor(ctx.forClause, cols, r.fields, r.rows);
    rt.state.rowcount = 1;
    yield count(1);
    return;
  }
  if (t.kind === 'query') {
    const gen = streamQuery(t.sql, o);
    for (;;) {
      const step = await gen.next();
      if (step.done) {
        rt.state.rowcount = step.value.rowCount;
        if (!step.value.aborted) yield count(step.value.rowCount);
        return;
      }
      yield step.value;
    }
  }
  const result = await execute(t.sql, o);
  if (t.ddl) rt.declared.clear();
  if (t.returnsRows && result.fields) {
    await rt.declared.load(result.fields.map((f) => f.tableID));
    const shape = shapeResult(
      result.fields,
      result.fields.map((f) => o.spell(f.name)),
      (f) => rt.declared.get(f.tableID, f.columnID),
      result.rows,
    );
    yield { kind: 'columns', columns: shape.columns };
    for (const row of result.rows) yield { kind: 'row', values: row.map((v, i) => (v === null ? null : shape.converters[i]!(v))) };
  }
  const n = affected(result) ?? 0;
  rt.state.rowcount = n;
  if (t.ddl && t.verb !== 'SELECT') yield { kind: 'done' };
  else yield count(n);
}

/** Rolls back whatever transaction is open in PostgreSQL (after a cancel or on close). */
export async function rollbackAll(rt: Pick<Runtime, 'pg'>): Promise<void> {
  await runSimple(rt.pg, 'ROLLBACK');
}

export { syntaxError };

/**
 * Runs the statement's FOR JSON/XML subqueries (after its WITH clause) and puts each document into
 * the SQL as a literal: the value SQL Server computes, an nvarchar(max) (NULL when no rows), or
 * an xml value for `FOR XML …, TYPE`.
 */
export async function withForSubqueries(ctx: TranslateContext, sql: string, o: RunOptions): Promise<string> {
  let out = sql;
  for (const sub of ctx.forSubqueries ?? []) {
    const prefix = ctx.forPrefix === undefined ? '' : `${ctx.forPrefix} `;
    const r = await collectQuery(`${prefix}${sub.sql}`, { ...o, names: sub.names });
    const cols = r.events[0]?.kind === 'columns' ? r.events[0].columns : [];
    const text = forText(sub.clause, cols, r.fields, r.rows);
    const type = docType(sub.clause);
    out = out.replace(sub.placeholder, () => (text === null ? `NULL::${type}` : `${quoteLiteral(text)}::${type}`));
  }
  return out;
}
