import type { BatchEvent } from '../backend.ts';
import { TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import type { Runtime } from './runtime.ts';
import { quoteLiteral } from './translate/context.ts';

/** One `SESSION_CONTEXT` key: its value (as text, the engine's sql_variant) and whether it is locked. */
export interface ContextEntry {
  value: string | null;
  readOnly: boolean;
}

/** The PostgreSQL setting that carries the active session's context to `tsql.session_context(key)` (row-level security reads it). */
export const CONTEXT_SETTING = 'tsql.session_context';

/** `SESSION_CONTEXT(N'key')` in PostgreSQL: NULL for a key never set. */
export const SESSION_CONTEXT_FUNCTION_SQL = `CREATE FUNCTION tsql.session_context(k text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
  $$SELECT (NULLIF(current_setting('${CONTEXT_SETTING}', true), '')::jsonb) ->> k$$;
GRANT EXECUTE ON FUNCTION tsql.session_context(text) TO PUBLIC;`;

/** The context as the text of `CONTEXT_SETTING`. */
export function contextJson(context: ReadonlyMap<string, ContextEntry>): string {
  return context.size === 0 ? '' : JSON.stringify(Object.fromEntries([...context].map(([k, e]) => [k, e.value])));
}

/**
 * `sp_set_session_context @key, @value [, @read_only]` (SQL Server 2016+): a key set read-only
 * cannot be set again on the session (error 15664) until the connection is reset.
 */
export async function* setSessionContext(
  rt: Runtime,
  args: ReadonlyArray<{ name: string; value: string | null }>,
): AsyncGenerator<BatchEvent> {
  const named = (name: string, position: number): string | null | undefined => {
    const found = args.find((a) => a.name === name);
    if (found) return found.value;
    const positional = args[position];
    return positional && positional.name === '' ? positional.value : undefined;
  };
  const key = named('@key', 0);
  if (key === undefined || key === null)
    throw new TsqlError(201, "Procedure or function 'sp_set_session_context' expects parameter '@key', which was not supplied.");
  if (key.length > 128) throw new TsqlError(15665, 'The key is longer than 128 characters.', { severity: 16 });
  const value = named('@value', 1) ?? null;
  const readOnlyText = named('@read_only', 2);
  const readOnly = readOnlyText !== undefined && readOnlyText !== null && !['0', 'false', 'f'].includes(readOnlyText.toLowerCase());
  const current = rt.state.context.get(key);
  if (current?.readOnly) {
    throw new TsqlError(15664, `Cannot set key '${key}' in the session context. The key has been set as read_only for this session.`, {
      severity: 16,
    });
  }
  rt.state.context.set(key, { value, readOnly });
  await syncContext(rt);
  yield { kind: 'return_status', value: 0 };
  yield { kind: 'done' };
}

/**
 * `sp_reset_connection`, what the TDS RESETCONNECTION status bit asks for before a request: the
 * session context, temporary tables and SET options go back to a fresh login's, and an open
 * transaction is rolled back (kept with RESETCONNECTIONSKIPTRAN, `skipTransaction`).
 */
export async function resetSession(rt: Runtime, skipTransaction: boolean): Promise<void> {
  const s = rt.state;
  if (!skipTransaction && s.trancount > 0) {
    await runSimple(rt.pg, 'ROLLBACK');
    s.trancount = 0;
    s.descriptor = 0n;
  }
  s.context.clear();
  s.nocount = false;
  s.implicitTransactions = false;
  s.lockTimeout = -1;
  s.rowcount = 0;
  s.lastError = 0;
  await syncContext(rt);
  await runSimple(rt.pg, dropTempTablesSql(s.spid));
}

/** Drops the session's temporary tables (`#name`, stored as `#<spid>#name`). */
export function dropTempTablesSql(spid: number): string {
  return `DO $$DECLARE r record; BEGIN FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname LIKE 'pg_temp%' AND c.relkind = 'r' AND c.relname LIKE '#${spid}#%' LOOP EXECUTE 'DROP TABLE ' || r.t; END LOOP; END$$`;
}

/** What `CONTEXT_SETTING` holds in each PGlite instance, so unchanged context costs no round trip. */
const published = new WeakMap<object, string>();

/**
 * Publishes a session's context to PostgreSQL (the engine runs one session at a time). Set inside
 * a transaction, PostgreSQL would undo the setting on rollback (SQL Server's context is not
 * transactional), so it is then not remembered and set again on the next statement.
 */
export async function publishContext(pg: Runtime['pg'], json: string, inTransaction = false): Promise<void> {
  if (published.get(pg) === json) return;
  await runSimple(pg, `SELECT set_config('${CONTEXT_SETTING}', ${quoteLiteral(json)}, false)`);
  if (inTransaction) published.delete(pg);
  else published.set(pg, json);
}

async function syncContext(rt: Pick<Runtime, 'pg' | 'state'>): Promise<void> {
  await publishContext(rt.pg, contextJson(rt.state.context), rt.state.trancount > 0);
}
