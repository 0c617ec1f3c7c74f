import { DbError } from '../db/errors.ts';
import type { Catalog, CatalogTable, DbParam, QueryResult } from '../db/types.ts';
import type { GuardVerdict } from '../sql-guard/types.ts';
import { recordUrl, searchOutcome } from './catalog-forms.ts';
import type { CachedResult, ResearchDeps } from './context.ts';
import { rowSummary, valueText } from './documents.ts';
import { qualifiedName, quoteName, quotedTable, selectColumn } from './identifiers.ts';
import { resultId, resultRowId, rowId } from './ids.ts';
import { jsonBytes, type Meter } from './outcome.ts';
import type { Outcome, ResearchContext, SearchOutput, SearchResultItem } from './types.ts';

/** Rows `sample <table>` returns when no limit is given. */
export const DEFAULT_SAMPLE_ROWS = 10;

/**
 * Positions of the table's full primary key among the result columns, when each key column appears
 * exactly once by name; undefined otherwise (then rows get cache ids instead of row ids).
 */
export function keyPositions(table: CatalogTable | undefined, result: Pick<QueryResult, 'columns'>): number[] | undefined {
  if (!table || table.primaryKey.length === 0) return undefined;
  const names = result.columns.map((c) => c.name.toLowerCase());
  const positions: number[] = [];
  for (const key of table.primaryKey) {
    const k = key.toLowerCase();
    const at = names.indexOf(k);
    if (at < 0 || names.lastIndexOf(k) !== at) return undefined;
    positions.push(at);
  }
  return positions;
}

/** Each catalog's tables by lower-case `schema.name`, built on first use (a catalog is never changed once loaded). */
const tablesByName = new WeakMap<Catalog, Map<string, CatalogTable>>();

/** The catalog table named `schema.name` (lower case, as the guard reports it). */
export function catalogTable(catalog: Catalog, qualified: string): CatalogTable | undefined {
  let index = tablesByName.get(catalog);
  if (index === undefined) {
    index = new Map();
    for (const t of catalog.tables) {
      const key = qualifiedName(t).toLowerCase();
      if (!index.has(key)) index.set(key, t);
    }
    tablesByName.set(catalog, index);
  }
  return index.get(qualified.toLowerCase());
}

/**
 * Stores a result set for `fetch(result:…)`, scoped to the caller; returns its uuid. Rejects with
 * `StateStoreError` when the shared store cannot take it: an id nobody could fetch is not handed out.
 */
export async function cacheResult(deps: ResearchDeps, ctx: ResearchContext, entry: Omit<CachedResult, 'createdAt'>): Promise<string> {
  const uuid = deps.uuid ? deps.uuid() : crypto.randomUUID();
  const value: CachedResult = { ...entry, createdAt: (deps.now ?? Date.now)() };
  await deps.cache.set(ctx.principal, uuid, value, jsonBytes(value));
  return uuid;
}

/** Search items for the rows of one result: row ids when the key is known, else cache row ids. */
export function rowItems(
  result: Pick<QueryResult, 'columns' | 'rows'>,
  table: CatalogTable | undefined,
  uuid: string,
  ctx: ResearchContext,
  text: (row: unknown[]) => string = (row) => rowSummary(result.columns, row),
): SearchResultItem[] {
  const keys = keyPositions(table, result);
  const items = result.rows.map((row, i): SearchResultItem => {
    const key = keys?.map((p) => row[p]);
    const label = rowLabel(row, keys ?? []);
    if (table && key && key.every((v) => v !== null && v !== undefined)) {
      const id = rowId(table.schema, table.name, key);
      return { id, title: `${qualifiedName(table)} ${key.map(valueText).join(', ')}${label}`, url: recordUrl(ctx, id), text: text(row) };
    }
    const id = resultRowId(uuid, i + 1);
    return { id, title: `Row ${i + 1} of the query result${label}`, url: recordUrl(ctx, id), text: text(row) };
  });
  // A row reached twice (UNION ALL of one table, say) is one record: cite it once.
  return items.filter((item, i) => items.findIndex((other) => other.id === item.id) === i);
}

/** ` — <first short text value>` (a name, subject or status), so a row's title says what it is. */
function rowLabel(row: readonly unknown[], skip: readonly number[]): string {
  const label = row.find(
    (v, i) => !skip.includes(i) && typeof v === 'string' && v.trim().length > 0 && v.length <= 120 && !/^[-\d.:T Z]+$/.test(v),
  );
  return typeof label === 'string' ? ` — ${label.trim()}` : '';
}

/**
 * A read-only query (or a generated sample query): guard first — a refusal is the answer — then
 * `db.query` with the row cap and timeout, then one result for the whole set plus one per row.
 */
export async function runGuardedSql(
  deps: ResearchDeps,
  catalog: Catalog,
  sql: string,
  ctx: ResearchContext,
  meter: Meter,
  options: { form: 'sql' | 'sample'; maxRows: number },
): Promise<Outcome<SearchOutput>> {
  const verdict = deps.guard.check(sql);
  if (!verdict.ok) return meter.refused(verdict);
  return runApproved(deps, catalog, verdict, ctx, meter, options);
}

/** Runs SQL the guard already approved (its `sql`, never the caller's text). */
export async function runApproved(
  deps: ResearchDeps,
  catalog: Catalog,
  verdict: Extract<GuardVerdict, { ok: true }>,
  ctx: ResearchContext,
  meter: Meter,
  options: { form: 'sql' | 'sample'; maxRows: number },
): Promise<Outcome<SearchOutput>> {
  let result: QueryResult;
  const check = verdict.check;
  const params = (check?.params ?? []).map((p): DbParam => ({ name: p.name, type: 'nvarchar', value: p.value }));
  try {
    result = await deps.db.query(verdict.sql, params, {
      maxRows: options.maxRows,
      timeoutMs: deps.limits.queryTimeoutMs,
      signal: ctx.signal,
      check: check?.sql,
    });
  } catch (err) {
    const named =
      err instanceof DbError && err.code === 'OBJECT_DENIED' && err.reference !== undefined
        ? check?.references[err.reference - 1]
        : undefined;
    if (named !== undefined) {
      return meter.refused({
        ok: false,
        code: 'OBJECT_NOT_ALLOWED',
        reason: `SQL Server resolves ${JSON.stringify(named)} to a different object than the one the connector checked (or to none), so the query was not run.`,
        hint: 'Write each table as schema.name, spelled exactly as "list tables" shows it.',
      });
    }
    return meter.dbFailure(err);
  }
  const table = verdict.tables.length === 1 ? catalogTable(catalog, verdict.tables[0] ?? '') : undefined;
  const cut = result.cellsCut ?? 0;
  let uuid: string;
  try {
    uuid = await cacheResult(deps, ctx, {
      source: verdict.sql,
      form: options.form,
      columns: result.columns,
      rows: result.rows,
      truncated: result.truncated || cut > 0,
      tables: verdict.tables,
    });
  } catch (err) {
    return meter.dbFailure(err);
  }
  const id = resultId(uuid);
  const cells = cut > 0 ? ` (${cut} cell${cut === 1 ? '' : 's'} cut at MAX_CELL_BYTES)` : '';
  const count = `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ` (truncated at ${options.maxRows})` : ''}${cells}`;
  const whole: SearchResultItem = {
    id,
    title: `${options.form === 'sample' && table ? `Sample of ${qualifiedName(table)}` : 'Query result'} — ${count}`,
    url: recordUrl(ctx, id),
    text: `Columns: ${result.columns.map((c) => `${c.name} ${c.type}`).join(', ')}`.slice(0, 400),
  };
  return searchOutcome(meter, deps, [whole, ...rowItems(result, table, uuid, ctx)], result.rows.length, result.truncated || cut > 0);
}

/** `sample <table> [limit N]`: SQL built only from catalog names, bracket-quoted, still judged by the guard. */
export function sampleSql(table: CatalogTable, limit: number): string {
  const columns = table.columns.map(selectColumn).join(', ') || '*';
  const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(quoteName).join(', ')}` : '';
  return `SELECT TOP (${Math.max(1, Math.floor(limit))}) ${columns} FROM ${quotedTable(table)}${order}`;
}
