import { DbError } from '../db/errors.ts';
import type { Catalog, CatalogTable, DbParam, QueryResult } from '../db/types.ts';
import { recordUrl, searchOutcome } from './catalog-forms.ts';
import type { ResearchDeps } from './context.ts';
import { mapLimited, scanConcurrency, searchBudgetMs, startBudget } from './budget.ts';
import { tableTitle } from './documents.ts';
import { qualifiedName, quoteName, quotedTable } from './identifiers.ts';
import { tableId } from './ids.ts';
import type { Meter } from './outcome.ts';
import { rankTables, tablesToScan } from './ranking.ts';
import { cacheResult, rowItems } from './sql-forms.ts';
import type { Outcome, ResearchContext, SearchOutput, SearchResultItem } from './types.ts';
import { escapeLike, queryWords, snippet, stem } from './words.ts';

const MAX_TABLE_RESULTS = 5;
const MAX_TABLES_SCANNED = 6;
const MAX_COLUMNS_SCANNED = 8;
const MAX_PATTERNS = 6;
const MIN_SEARCHED_LENGTH = 40;

/**
 * A parameterised text search over one table: `LIKE @pN ESCAPE '!'` for each word over the text
 * columns, all words (`every`) or any word. Only catalog names (bracket-quoted) enter the SQL text;
 * the words travel as nvarchar parameters with `%`, `_`, `[` and `!` escaped.
 */
export function textSearchQuery(
  table: CatalogTable,
  roots: readonly string[],
  top: number,
  mode: 'every' | 'any',
): { sql: string; params: DbParam[]; columns: string[] } {
  const textColumns = searchableColumns(table);
  const columns = [...table.primaryKey.filter((k) => !textColumns.includes(k)), ...textColumns];
  const params = roots.map((r, i): DbParam => ({ name: `p${i}`, type: 'nvarchar', value: `%${escapeLike(r)}%` }));
  const perWord = params.map((p) => `(${textColumns.map((c) => `${quoteName(c)} LIKE @${p.name} ESCAPE '!'`).join(' OR ')})`);
  const where = perWord.join(mode === 'every' ? ' AND ' : ' OR ');
  const sql = `SELECT TOP (${top}) ${columns.map(quoteName).join(', ')} FROM ${quotedTable(table)} WHERE ${where}`;
  return { sql, params, columns };
}

/**
 * The text columns worth a `LIKE '%word%'`: prose and names (40+ characters or max), not short
 * codes such as a status or a country code (those are found through the column ranking instead).
 * A table with only short text columns has all of them searched.
 */
export function searchableColumns(table: CatalogTable): string[] {
  const text = table.columns.filter((c) => c.isText);
  const long = text.filter((c) => c.maxLength === undefined || c.maxLength === -1 || c.maxLength >= MIN_SEARCHED_LENGTH);
  return (long.length > 0 ? long : text).slice(0, MAX_COLUMNS_SCANNED).map((c) => c.name);
}

/** The text value of the row that holds the most words (then the longest), as `Column: …excerpt…`. */
function rowSnippet(result: Pick<QueryResult, 'columns'>, row: readonly unknown[], roots: readonly string[]): string {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (typeof v !== 'string') continue;
    const lower = v.toLowerCase();
    const hits = roots.filter((r) => lower.includes(r)).length;
    const score = hits * 10_000 + Math.min(v.length, 9_999);
    if (hits > 0 && score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  const v = row[best];
  return typeof v === 'string' ? `${result.columns[best]?.name}: ${snippet(v, roots)}` : '';
}

const keyOf = (result: QueryResult, row: unknown[], table: CatalogTable): string =>
  table.primaryKey.length === 0 ? JSON.stringify(row) : JSON.stringify(table.primaryKey.map((k) => row[result.columns.findIndex((c) => c.name === k)]));

/**
 * Natural-language search: rank tables and columns whose names or descriptions match the words,
 * then look for the words in the text columns of the best tables — bounded by a per-query
 * timeout, a total time budget and a row budget — and return matching tables and rows.
 */
export async function naturalLanguageSearch(deps: ResearchDeps, catalog: Catalog, text: string, ctx: ResearchContext, meter: Meter): Promise<Outcome<SearchOutput>> {
  const words = queryWords(text);
  if (words.length === 0) {
    return meter.fail('INVALID_INPUT', 'The query has no words to search for. Use words that describe the data, `list tables`, `describe <table>`, `sample <table>` or a SELECT statement.');
  }
  const allows = (t: CatalogTable): boolean => deps.guard.allowsTable(t.schema, t.name);
  const ranked = rankTables(catalog, words, allows);
  const { maxResults } = deps.limits;
  const items: SearchResultItem[] = ranked.slice(0, Math.min(MAX_TABLE_RESULTS, maxResults)).map((m) => {
    const id = tableId(m.table.schema, m.table.name);
    const where = m.columns.length > 0 ? `; columns: ${m.columns.join(', ')}` : '';
    return { id, title: tableTitle(m.table), url: recordUrl(ctx, id), text: `Matches "${m.words.join('", "')}" in ${qualifiedName(m.table)}${where}` };
  });

  const usable = words.filter((w) => w.length >= 3);
  const structural = new Set(ranked.flatMap((m) => m.nameWords));
  const allRoots = [...new Set(usable.map(stem))].slice(0, MAX_PATTERNS);
  const contentRoots = [...new Set(usable.filter((w) => !structural.has(w)).map(stem))].slice(0, MAX_PATTERNS);
  // First rows holding every word, across all tables; then rows holding any word that is not
  // merely a table or column name ("customers" in "customers complaining about late deliveries"
  // says where to look, not what the text must contain).
  const phases: Array<{ mode: 'every' | 'any'; roots: string[] }> = [{ mode: 'every', roots: allRoots }];
  const anyRoots = contentRoots.length > 0 ? contentRoots : allRoots;
  if (anyRoots.length > 1 || anyRoots.join() !== allRoots.join()) phases.push({ mode: 'any', roots: anyRoots });

  const scan = allRoots.length === 0 ? [] : tablesToScan(catalog, ranked, allows, MAX_TABLES_SCANNED);
  const seen = new Set<string>();
  const budget = startBudget(searchBudgetMs(deps.limits), ctx.signal);
  let rowBudget = maxResults - items.length;
  let partial = false;
  let rowsFound = 0;
  let failure: DbError | undefined;
  try {
    for (const phase of phases) {
      if (rowBudget <= 0 || budget.expired()) {
        partial ||= scan.length > 0;
        break;
      }
      const top = Math.min(rowBudget, Math.max(3, Math.ceil(maxResults / 2)));
      // Independent scans run side by side; their rows are merged in rank order afterwards.
      const scans = await mapLimited(scan, scanConcurrency(deps.limits), budget.expired, (table) => {
        const q = textSearchQuery(table, phase.roots, top, phase.mode);
        return budget.race(deps.db.query(q.sql, q.params, { maxRows: top, timeoutMs: budget.remainingMs(), signal: budget.signal }));
      });
      for (const [i, found] of scans.entries()) {
        const table = scan[i];
        if (!table) continue;
        if (!found || found instanceof DbError) {
          // Not run, cut by the budget, timed out or BUSY: partial. Anything else ends the search.
          partial = true;
          if (found instanceof DbError && !budget.expired() && found.code !== 'QUERY_TIMEOUT' && found.code !== 'BUSY') failure ??= found;
          continue;
        }
        const fresh = found.rows.filter((row) => {
          const k = `${qualifiedName(table)}\u0000${keyOf(found, row, table)}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        if (fresh.length === 0) continue;
        if (fresh.length > rowBudget) partial = true;
        const rows = { ...found, rows: fresh.slice(0, Math.max(rowBudget, 0)) };
        if (rows.rows.length === 0) continue;
        let uuid = '';
        try {
          if (table.primaryKey.length === 0) uuid = await cacheResult(deps, ctx, { source: `text search of ${qualifiedName(table)}`, form: 'natural_language', columns: rows.columns, rows: rows.rows, truncated: false, tables: [qualifiedName(table).toLowerCase()] });
        } catch (err) {
          return meter.dbFailure(err);
        }
        const added = rowItems(rows, table, uuid, ctx, (row) => rowSnippet(rows, row, allRoots));
        items.push(...added);
        rowsFound += added.length;
        rowBudget -= added.length;
      }
      if (failure) break;
    }
  } finally {
    budget.close();
  }
  if (failure && items.length === 0) return meter.dbFailure(failure);
  return searchOutcome(meter, deps, items.slice(0, Math.max(maxResults, 1)), rowsFound, partial);
}

