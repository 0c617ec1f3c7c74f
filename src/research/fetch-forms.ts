import type { Catalog, CatalogColumn, DbParam, DbParamType, QueryResult, ResultColumn } from '../db/types.ts';
import { baseTypeName } from '../db/values.ts';
import { findTable, recordUrl } from './catalog-forms.ts';
import type { CachedResult, ResearchDeps } from './context.ts';
import { resultTable, rowDocument } from './documents.ts';
import { rowTitle } from './nl/present.ts';
import { fitText, largestFitting } from './fit.ts';
import { qualifiedName, quoteName, quotedTable, selectColumn } from './identifiers.ts';
import { resultId, resultRowId, rowId } from './ids.ts';
import { jsonBytes, type Meter } from './outcome.ts';
import type { FetchOutput, Outcome, ResearchContext } from './types.ts';

const EXPIRED = 'This result id has expired or was created in another session. Run the search again to get fresh ids.';
const CUT_NOTE = '\n… (cut to fit the size limit)';

const PARAM_TYPES: Record<string, DbParamType> = {
  tinyint: 'int',
  smallint: 'int',
  int: 'int',
  bigint: 'bigint',
  bit: 'bit',
  decimal: 'decimal',
  numeric: 'decimal',
  money: 'decimal',
  smallmoney: 'decimal',
  float: 'float',
  real: 'float',
  date: 'date',
  datetime: 'datetime2',
  datetime2: 'datetime2',
  smalldatetime: 'datetime2',
  uniqueidentifier: 'uniqueidentifier',
};

/** A key value from an id as a typed parameter for its column; undefined when it cannot be one. */
export function keyParam(name: string, column: CatalogColumn, value: string | number): DbParam | undefined {
  const type = PARAM_TYPES[baseTypeName(column.type)] ?? 'nvarchar';
  const text = String(value);
  switch (type) {
    case 'int':
      return /^-?\d{1,10}$/.test(text) ? { name, type, value: Number(text) } : undefined;
    case 'bigint':
      return /^-?\d{1,19}$/.test(text) ? { name, type, value: text } : undefined;
    case 'bit':
      return { name, type, value: text === 'true' || text === '1' };
    case 'decimal':
    case 'float':
      return /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text) ? { name, type, value: type === 'float' ? Number(text) : text } : undefined;
    case 'date':
    case 'datetime2': {
      const d = new Date(type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
      return Number.isNaN(d.getTime()) ? undefined : { name, type, value: d };
    }
    default:
      return { name, type, value: text };
  }
}

/** `fetch(row:…)`: the row read again by its primary key with a parameterised query. */
export async function fetchRow(
  deps: ResearchDeps,
  catalog: Catalog,
  schema: string,
  name: string,
  key: Array<string | number>,
  ctx: ResearchContext,
  meter: Meter,
): Promise<Outcome<FetchOutput>> {
  const found = findTable(deps, catalog, `[${schema.replace(/]/g, ']]')}].[${name.replace(/]/g, ']]')}]`);
  if (!('table' in found))
    return meter.fail(found.code, found.code === 'NOT_FOUND' ? `${schema}.${name} no longer exists. Run \`list tables\`.` : found.message);
  const table = found.table;
  if (table.primaryKey.length !== key.length)
    return meter.fail(
      'INVALID_INPUT',
      `The id's key does not match the primary key of ${qualifiedName(table)} (${table.primaryKey.join(', ')}).`,
    );
  const params: DbParam[] = [];
  for (const [i, k] of table.primaryKey.entries()) {
    const column = table.columns.find((c) => c.name.toLowerCase() === k.toLowerCase());
    const p = column && keyParam(`p${i}`, column, key[i] ?? '');
    if (!p) return meter.fail('INVALID_INPUT', `The id's key value for ${k} does not fit its type.`);
    params.push(p);
  }
  const where = table.primaryKey.map((k, i) => `${quoteName(k)} = @p${i}`).join(' AND ');
  const sql = `SELECT TOP (2) ${table.columns.map(selectColumn).join(', ')} FROM ${quotedTable(table)} WHERE ${where}`;
  let result: QueryResult;
  try {
    result = await deps.db.query(sql, params, { maxRows: 1, timeoutMs: deps.limits.queryTimeoutMs, signal: ctx.signal });
  } catch (err) {
    return meter.dbFailure(err);
  }
  const row = result.rows[0];
  if (!row) return meter.fail('NOT_FOUND', `No row of ${qualifiedName(table)} has that key any more. Run the search again.`);
  const id = rowId(table.schema, table.name, key);
  const primaryKey = Object.fromEntries(table.primaryKey.map((k, i) => [k, key[i]]));
  return rowOutput(deps, meter, { id, title: rowTitle(table, result.columns, row), url: recordUrl(ctx, id) }, result.columns, row, {
    kind: 'row',
    table: qualifiedName(table),
    primaryKey,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
  });
}

function rowOutput(
  deps: ResearchDeps,
  meter: Meter,
  head: Pick<FetchOutput, 'id' | 'title' | 'url'>,
  columns: ResultColumn[],
  row: unknown[],
  metadata: Record<string, unknown>,
): Outcome<FetchOutput> {
  const build = (text: string): FetchOutput => ({ ...head, text, metadata });
  const out = fitText(rowDocument(columns, row), deps.limits.maxResultBytes, build, CUT_NOTE);
  return out
    ? meter.ok(out, 1, jsonBytes(build(rowDocument(columns, row))) > deps.limits.maxResultBytes)
    : meter.fail('RESULT_TOO_LARGE', 'The row does not fit the configured size limit.');
}

/** The cached result set: the caller's own, or anyone's for an operator's browser (`operatorView`). */
async function cachedResult(deps: ResearchDeps, uuid: string, ctx: ResearchContext): Promise<CachedResult | undefined> {
  return ctx.operatorView ? (await deps.cache.getForOperator(uuid))?.value : deps.cache.get(ctx.principal, uuid);
}

/** `fetch(result:…)`: the whole cached result set as a Markdown table, with as many rows as fit. */
export async function fetchResult(deps: ResearchDeps, uuid: string, ctx: ResearchContext, meter: Meter): Promise<Outcome<FetchOutput>> {
  let entry: CachedResult | undefined;
  try {
    entry = await cachedResult(deps, uuid, ctx);
  } catch (err) {
    return meter.dbFailure(err);
  }
  if (!entry) return meter.fail('NOT_FOUND', EXPIRED);
  const id = resultId(uuid);
  const build = (shown: number): FetchOutput => {
    const more =
      shown < entry.rows.length
        ? `\n\n(${shown} of ${entry.rows.length} rows shown; the rest did not fit the size limit — fetch single rows or narrow the query.)`
        : '';
    const capped = entry.truncated
      ? `\n\n(The query returned more rows than the limit; only the first ${entry.rows.length} were kept.)`
      : '';
    return {
      id,
      title: `Query result — ${entry.rows.length} row${entry.rows.length === 1 ? '' : 's'}${entry.truncated ? ' (truncated)' : ''}`,
      text: `${resultTable(entry.columns, entry.rows.slice(0, shown))}${more}${capped}`,
      url: recordUrl(ctx, id),
      metadata: metadataOf(entry, shown),
    };
  };
  const shown = largestFitting(entry.rows.length, (n) => jsonBytes(build(n)) <= deps.limits.maxResultBytes);
  if (shown < 0)
    return meter.fail(
      'RESULT_TOO_LARGE',
      'Even the column headings of this result do not fit the configured size limit; select fewer columns.',
    );
  return meter.ok(build(shown), shown, entry.truncated || shown < entry.rows.length);
}

function metadataOf(entry: CachedResult, shown: number): Record<string, unknown> {
  return {
    kind: 'result',
    form: entry.form,
    sql: entry.source,
    tables: entry.tables,
    rowCount: entry.rows.length,
    shownRows: shown,
    truncated: entry.truncated,
    columns: entry.columns.map((c) => ({ name: c.name, type: c.type })),
    createdAt: new Date(entry.createdAt).toISOString(),
  };
}

/** `fetch(resultrow:…)`: one cached row as `column: value` lines. */
export async function fetchResultRow(
  deps: ResearchDeps,
  uuid: string,
  n: number,
  ctx: ResearchContext,
  meter: Meter,
): Promise<Outcome<FetchOutput>> {
  let entry: CachedResult | undefined;
  try {
    entry = await cachedResult(deps, uuid, ctx);
  } catch (err) {
    return meter.dbFailure(err);
  }
  const row = entry?.rows[n - 1];
  if (!entry || !row) return meter.fail('NOT_FOUND', EXPIRED);
  const id = resultRowId(uuid, n);
  return rowOutput(deps, meter, { id, title: `Row ${n} of the query result`, url: recordUrl(ctx, id) }, entry.columns, row, {
    kind: 'result_row',
    result: resultId(uuid),
    row: n,
    tables: entry.tables,
    columns: entry.columns.map((c) => ({ name: c.name, type: c.type })),
  });
}
