import type { PGlite } from '@electric-sql/pglite';
import type { BatchEvent, SqlValue } from '../backend.ts';
import type { DeclaredCache } from './declared-cache.ts';
import type { TsqlError } from './errors.ts';
import { runSimple, tagCount, type PgError, type PgField, type PgResult } from './pg.ts';
import { shapeResult, type ResultShape } from './result-types.ts';

const CHUNK = 500;

/** How to run one translated statement. */
export interface RunOptions {
  pg: PGlite;
  declared: DeclaredCache;
  /** Inside an explicit transaction: wrap in a savepoint instead of BEGIN/COMMIT. */
  inTransaction: boolean;
  signal: AbortSignal;
  /** Result column names by position (SQL Server naming), when the translator knew them. */
  names?: string[] | undefined;
  spell(name: string): string;
  /** Turns a PostgreSQL error into the SQL Server error to report. */
  fail(err: PgError): TsqlError;
}

/** What a streamed query reports at its end. */
export interface QueryEnd {
  rowCount: number;
  aborted: boolean;
}

/**
 * Streams a SELECT through a cursor, CHUNK rows at a time, so large results never sit in memory;
 * stops between chunks when the request is cancelled. Runs in its own transaction (or savepoint)
 * so an error or a cancel leaves nothing behind.
 */
export async function* streamQuery(
  sql: string,
  o: RunOptions,
  onRaw?: (fields: PgField[], rows: (string | null)[][]) => void,
): AsyncGenerator<BatchEvent, QueryEnd> {
  const open = o.inTransaction ? 'SAVEPOINT tsql_stmt; ' : 'BEGIN; ';
  const opened = await runSimple(o.pg, `${open}DECLARE tsql_cur NO SCROLL CURSOR FOR ${sql}`);
  if (opened.error) {
    await finish(o, false);
    await o.declared.loadNames();
    throw o.fail(opened.error);
  }
  let shape: ResultShape | undefined;
  let rowCount = 0;
  let ok = false;
  let finished = false;
  try {
    for (;;) {
      if (o.signal.aborted) return { rowCount, aborted: true };
      const chunk = await runSimple(o.pg, `FETCH ${CHUNK} FROM tsql_cur`);
      if (chunk.error) {
        finished = true;
        await finish(o, false, true);
        await o.declared.loadNames();
        throw o.fail(chunk.error);
      }
      const res = chunk.results[0] ?? { rows: [] };
      const fields = res.fields ?? [];
      if (!shape) {
        await o.declared.load(fields.map((f) => f.tableID));
        shape = shapeResult(fields, names(fields, o), (f) => o.declared.get(f.tableID, f.columnID), res.rows);
        yield { kind: 'columns', columns: shape.columns };
      }
      if (onRaw) onRaw(fields, res.rows);
      for (const row of res.rows) {
        const values: SqlValue[] = row.map((v, i) => (v === null ? null : (shape as ResultShape).converters[i]!(v)));
        yield { kind: 'row', values };
      }
      rowCount += res.rows.length;
      if (res.rows.length < CHUNK) break;
    }
    ok = true;
    return { rowCount, aborted: false };
  } finally {
    if (!finished) await finish(o, ok, true);
  }
}

/** Runs a query to completion and returns its raw text rows (for variable assignment, FOR JSON…). */
export async function collectQuery(
  sql: string,
  o: RunOptions,
): Promise<{ fields: PgField[]; rows: (string | null)[][]; events: BatchEvent[] }> {
  let fields: PgField[] = [];
  const rows: (string | null)[][] = [];
  const events: BatchEvent[] = [];
  const gen = streamQuery(sql, o, (f, r) => {
    fields = f;
    rows.push(...r);
  });
  for (;;) {
    const step = await gen.next();
    if (step.done) break;
    if (step.value.kind === 'columns') events.push(step.value);
  }
  return { fields, rows, events };
}

/**
 * Runs DML or DDL (possibly several PostgreSQL statements that must succeed together) and returns
 * the first statement's results, which carry the row count and any RETURNING rows.
 */
export async function execute(sql: string, o: RunOptions): Promise<PgResult> {
  const reply = await runSimple(o.pg, o.inTransaction ? `SAVEPOINT tsql_stmt; ${sql}` : `BEGIN; ${sql}`);
  if (reply.error) {
    await runSimple(o.pg, o.inTransaction ? 'ROLLBACK TO SAVEPOINT tsql_stmt; RELEASE SAVEPOINT tsql_stmt' : 'ROLLBACK');
    await o.declared.loadNames();
    throw o.fail(reply.error);
  }
  const done = await runSimple(o.pg, o.inTransaction ? 'RELEASE SAVEPOINT tsql_stmt' : 'COMMIT');
  if (done.error) throw o.fail(done.error);
  return reply.results[1] ?? { rows: [] };
}

/** Row count of an executed statement's command tag. */
export function affected(result: PgResult): number | undefined {
  return tagCount(result.command);
}

async function finish(o: RunOptions, ok: boolean, cursorOpen = false): Promise<void> {
  const close = cursorOpen ? 'CLOSE tsql_cur; ' : '';
  if (o.inTransaction) {
    const r = await runSimple(
      o.pg,
      ok ? `${close}RELEASE SAVEPOINT tsql_stmt` : 'ROLLBACK TO SAVEPOINT tsql_stmt; RELEASE SAVEPOINT tsql_stmt',
    );
    if (r.error) await runSimple(o.pg, 'ROLLBACK TO SAVEPOINT tsql_stmt; RELEASE SAVEPOINT tsql_stmt');
  } else {
    await runSimple(o.pg, ok ? `${close}COMMIT` : 'ROLLBACK');
  }
}

/**
 * Result column names when the translator could not name them by position (a `*` in the select
 * list): a table column keeps its declared spelling unless it was renamed on the way out (the
 * PostgreSQL name then differs), otherwise the spelling written in the statement.
 */
function names(fields: readonly PgField[], o: RunOptions): string[] {
  if (o.names && o.names.length === fields.length) return o.names;
  return fields.map((f) => {
    const declared = f.tableID !== 0 && f.columnID > 0 ? o.declared.get(f.tableID, f.columnID)?.name : undefined;
    if (declared !== undefined && declared.toLowerCase() === f.name) return declared;
    return f.name === '?column?' ? '' : o.spell(f.name);
  });
}
