import { protocol, type PGlite } from '@electric-sql/pglite';

/** A column as PostgreSQL describes it in RowDescription. */
export interface PgField {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeModifier: number;
}

/** One statement's outcome in a simple-query exchange. */
export interface PgResult {
  fields?: PgField[];
  rows: (string | null)[][];
  command?: string;
}

/** PostgreSQL's error fields that the engine maps to SQL Server errors. */
export interface PgError {
  code: string;
  message: string;
  detail?: string | undefined;
  table?: string | undefined;
  column?: string | undefined;
  constraint?: string | undefined;
  schema?: string | undefined;
}

export interface PgReply {
  results: PgResult[];
  error?: PgError;
}

interface RawMessage {
  name: string;
  fields?: unknown;
  text?: string;
  code?: string;
  message?: string;
  detail?: string;
  table?: string;
  column?: string;
  constraint?: string;
  schema?: string;
}

/**
 * Runs text through PostgreSQL's simple-query protocol and returns rows as text, exactly as the
 * server formatted them (so numerics and timestamps keep full precision). Never throws for SQL
 * errors: they come back in `error`, after the results of the statements that succeeded.
 */
export async function runSimple(pg: PGlite, sql: string): Promise<PgReply> {
  const reply = await pg.execProtocol(protocol.serialize.query(sql), { throwOnError: false });
  const results: PgResult[] = [];
  let current: PgResult = { rows: [] };
  let error: PgError | undefined;
  for (const m of reply.messages as unknown as RawMessage[]) {
    switch (m.name) {
      case 'rowDescription':
        current.fields = m.fields as PgField[];
        break;
      case 'dataRow':
        current.rows.push(m.fields as (string | null)[]);
        break;
      case 'commandComplete':
        current.command = m.text ?? '';
        results.push(current);
        current = { rows: [] };
        break;
      case 'error':
        error = {
          code: m.code ?? 'XX000',
          message: m.message ?? 'error',
          detail: m.detail,
          table: m.table,
          column: m.column,
          constraint: m.constraint,
          schema: m.schema,
        };
        break;
      default:
        break;
    }
  }
  if (current.fields) results.push(current);
  // PGlite answers every query with at least ReadyForQuery; silence means its WASM instance died
  // (for example a stack overflow in a runaway function), and every later query will be silent too.
  if (reply.messages.length === 0) error = { code: 'XX000', message: 'the embedded PostgreSQL stopped responding' };
  return error ? { results, error } : { results };
}

/** Like runSimple, but throws the PostgreSQL error; for the engine's own housekeeping SQL. */
export async function runChecked(pg: PGlite, sql: string): Promise<PgResult[]> {
  const reply = await runSimple(pg, sql);
  if (reply.error) throw new Error(`sandbox engine SQL failed (${reply.error.code}): ${reply.error.message}`);
  return reply.results;
}

/** Rows affected from a command tag: `INSERT 0 5` → 5, `UPDATE 3` → 3, `SELECT 7` → 7. */
export function tagCount(tag: string | undefined): number | undefined {
  if (!tag) return undefined;
  const m = /^(INSERT \d+|UPDATE|DELETE|MERGE|SELECT|FETCH|MOVE|COPY) ?(\d+)?$/.exec(tag) ?? /^(INSERT) \d+ (\d+)$/.exec(tag);
  const n = m?.[2];
  return n === undefined ? undefined : Number(n);
}
