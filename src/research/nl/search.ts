import type { Catalog, CatalogTable } from '../../db/types.ts';
import { scanConcurrency, searchBudgetMs, startBudget } from '../budget.ts';
import { recordUrl, searchOutcome } from '../catalog-forms.ts';
import type { ResearchDeps } from '../context.ts';
import { formatCount, tableTitle } from '../documents.ts';
import { qualifiedName } from '../identifiers.ts';
import { resultRowId, rowId, tableId } from '../ids.ts';
import type { Meter } from '../outcome.ts';
import { cacheResult } from '../sql-forms.ts';
import { spelledOut } from '../ranking.ts';
import { compactName, identifierWords, sameRoot } from '../words.ts';
import type { Outcome, ResearchContext, SearchOutput, SearchResultItem } from '../types.ts';
import { vocabularies } from './column-values.ts';
import { pickTables } from './pick-tables.ts';
import { rowText, rowTitle } from './present.ts';
import { FIRST_PAGE, interleave, rankRows, TABLE_INTENT_BONUS, TABLES_ALWAYS_SHOWN, type Ranked, type Scored } from './rank-merge.ts';
import { followKeys } from './related.ts';
import { fullTextTables, plan, runJobs } from './retrieve.ts';
import { MAX_TABLE_ANSWERS, tableResults, withRelated } from './rank-tables.ts';
import { loadThesaurus, type Thesaurus } from './thesaurus.ts';
import { MAX_QUERY_CHARS, spellNames, tokens, understand, type Understanding } from './understand.ts';

/** Table documents in one search at most, and the tables whose rows illustrate a where-is answer. */
export const MAX_TABLE_RESULTS = 5;
/** Rows asked of each table (the merge keeps the best overall). */
export const ROWS_PER_TABLE = 10;

/** Stop words of row search that name what a column measures. */
const MEASURE_WORDS = new Set([
  'number',
  'numbers',
  'total',
  'totals',
  'count',
  'average',
  'percentage',
  'record',
  'records',
  'entry',
  'entries',
]);

const compound = new WeakMap<Catalog, Map<string, string>>();
/** Names of tables and columns made of several words, by their lower-case letters and digits (spellNames). */
function compoundNames(catalog: Catalog): Map<string, string> {
  let names = compound.get(catalog);
  if (!names) {
    names = new Map();
    for (const name of catalog.tables.flatMap((t) => [t.name, ...t.columns.map((c) => c.name)])) {
      const words = identifierWords(name);
      if (words.length > 1) names.set(compactName(name), words.join(' '));
    }
    compound.set(catalog, names);
  }
  return names;
}

let builtIn: Thesaurus | undefined;
const defaultThesaurus = (): Thesaurus => (builtIn ??= loadThesaurus());

/**
 * Natural-language search, as its stages: understand the query → pick the tables → retrieve
 * ranked candidates in the database (words, identifiers, then foreign keys) → rank and merge →
 * present. Bounded by the search budget (`truncated: true` when it runs out) and the result caps.
 */
export async function naturalLanguageSearch(
  deps: ResearchDeps,
  catalog: Catalog,
  text: string,
  ctx: ResearchContext,
  meter: Meter,
): Promise<Outcome<SearchOutput>> {
  const allows = (t: CatalogTable): boolean => deps.guard.allowsTable(t.schema, t.name);
  const tableWords = catalog.tables.filter(allows).flatMap((t) => identifierWords(t.name));
  const spelled = spellNames(text, compoundNames(catalog));
  // "total", "number", "average"… are stop words for rows, yet name columns (Total, TrackingNumber,
  // AvgRating): kept for tables.
  const columnWords = catalog.tables.filter(allows).flatMap((t) => t.columns.flatMap((c) => spelledOut(c.name)));
  const u = understand(
    spelled.text,
    deps.thesaurus ?? defaultThesaurus(),
    (w) => tableWords.some((n) => sameRoot(w, n)),
    (w) => columnWords.some((n) => sameRoot(w, n)),
  );
  const size = SIZE.exec(text.slice(0, MAX_QUERY_CHARS).toLowerCase());
  if (size && u.identifiers.length === 0 && u.words.every((w) => SIZE_WORDS.has(w))) {
    const items = tablesBySize(catalog, allows, ctx, !/smallest|fewest|least/.test(size[0])).slice(0, deps.limits.maxResults);
    return searchOutcome(meter, deps, items, items.length, false);
  }
  if (u.terms.length === 0 && u.identifiers.length === 0) {
    return meter.fail(
      'INVALID_INPUT',
      'The query has no words to search for. Use words that describe the data, `list tables`, `describe <table>`, `sample <table>` or a SELECT statement.',
    );
  }
  const { maxResults } = deps.limits;
  const measures = tokens(text.slice(0, MAX_QUERY_CHARS)).filter(
    (w) => MEASURE_WORDS.has(w) && !u.words.includes(w) && columnWords.some((n) => sameRoot(w, n)),
  );
  // Up to MAX_TABLE_ANSWERS for a where-is question or a query describing tables (offeredTables).
  const tableItems = tableResults(catalog, { ...u, words: [...u.words, ...new Set(measures)] }, allows, ctx, spelled.named).slice(
    0,
    Math.min(MAX_TABLE_ANSWERS, maxResults),
  );
  // Asked where data lives, rows are examples from the tables that answer it best: only those are read.
  const offered = offeredTables(catalog, u, tableItems, allows, ctx, maxResults);
  // A query describing tables reads its rows from the tables covering it, like a where-is question.
  const described = offered.page === FIRST_PAGE;
  const answering = new Set(
    (described ? offered.tables.filter((t) => t.score >= TABLE_INTENT_BONUS) : tableItems.slice(0, MAX_TABLE_RESULTS)).map(
      (t) => t.item.id,
    ),
  );
  const tables = pickTables(catalog, u.words, allows).filter(
    (t) => (u.intent === 'rows' && !described) || answering.has(tableId(t.table.schema, t.table.name)),
  );
  const budget = startBudget(searchBudgetMs(deps.limits), ctx.signal);
  const top = Math.min(ROWS_PER_TABLE, Math.max(1, maxResults));
  const concurrency = scanConcurrency(deps.limits);
  let ranked: Ranked[];
  let partial: boolean;
  let failure;
  try {
    const found = await budget.race(fullTextTables(deps.db, catalog, budget.remainingMs()));
    const fullText = found instanceof Set ? found : new Set<string>();
    const scanned = tables.filter((t) => t.textColumns.length > 0 && !fullText.has(qualifiedName(t.table).toLowerCase()));
    const vocab = await budget.race(vocabularies(deps.db, catalog, scanned, budget.remainingMs(), budget.signal));
    const first = await runJobs(
      deps.db,
      plan(u, tables, fullText, top, vocab instanceof Map ? vocab : undefined),
      budget,
      concurrency,
      top,
    );
    const entities = first.candidates.filter((c) => c.via === 'lookup');
    const second =
      entities.length > 0
        ? await followKeys(deps.db, entities, tables, budget, concurrency, top)
        : { candidates: [], partial: false, failure: undefined };
    ranked = rankRows([...first.candidates, ...second.candidates], u.terms);
    partial = first.partial || second.partial;
    failure = first.failure ?? second.failure;
  } finally {
    budget.close();
  }
  if (failure && ranked.length === 0) return meter.dbFailure(failure);
  const kept = ranked.slice(0, maxResults);
  let items: SearchResultItem[];
  try {
    items = await rowItems(deps, ctx, kept);
  } catch (err) {
    return meter.dbFailure(err);
  }
  const rows = items.map((item, i) => ({ item, score: kept[i]?.score ?? 0 }));
  return searchOutcome(
    meter,
    deps,
    interleave(rows, offered.tables, u.intent, maxResults, offered.shown, offered.page),
    rows.length,
    partial,
  );
}

/** A question about the tables' sizes ("which table has the most rows", "smallest tables"). */
const SIZE = /\b(?:largest|biggest|smallest|(?:most|fewest|least)\s+rows|row\s+counts?|how\s+many\s+rows|sizes?\s+of)\b/;
/** Words a size question may hold beside the stop words: nothing else to search for. */
const SIZE_WORDS = new Set([
  'largest',
  'biggest',
  'smallest',
  'size',
  'sizes',
  'big',
  'small',
  'large',
  'counts',
  'fewest',
  'least',
  'rows',
]);

/** Tables (not views, which have no row count) by their row counts, largest first unless `largest` is false. */
function tablesBySize(catalog: Catalog, allows: (t: CatalogTable) => boolean, ctx: ResearchContext, largest: boolean): SearchResultItem[] {
  return catalog.tables
    .filter((t) => allows(t) && t.kind === 'table' && t.rowCount !== undefined)
    .sort((a, b) => (largest ? (b.rowCount ?? 0) - (a.rowCount ?? 0) : (a.rowCount ?? 0) - (b.rowCount ?? 0)))
    .map((t) => {
      const id = tableId(t.schema, t.name);
      return { id, title: tableTitle(t), url: recordUrl(ctx, id), text: `${qualifiedName(t)}: ${formatCount(t.rowCount ?? 0)} rows` };
    });
}

/** Share of a query a table must cover to come first when the query describes tables. */
export const DESCRIBED_SHARE = 0.4;

/**
 * A query without identifiers whose every word one table's names and descriptions hold — the words
 * themselves, not synonyms, which paraphrases of content also reach ("product
 * catalogue with prices and categories", "customer accounts and loyalty tiers") describes tables
 * even without where-is wording: the tables covering a good part of it come before the rows. The
 * same list is returned when it does not (the caller tells the two cases apart by identity).
 */
export function describedTables(u: Understanding, tables: readonly Scored[]): readonly Scored[] {
  if (u.intent === 'tables' || u.identifiers.length > 0 || !tables.some((t) => t.describes)) return tables;
  return tables.map((t) => (t.describes || t.score >= DESCRIBED_SHARE ? { ...t, score: t.score + TABLE_INTENT_BONUS } : t));
}

/**
 * The tables a search offers beside its rows, and how many of them are always within how many
 * first results. A query describing tables (describedTables) is answered by them and by where
 * they connect: the tables covering a good part of it, then the tables around the best of them
 * (rank-tables.ts relatedTables; a matched table keeps its score), up to MAX_TABLE_RESULTS, all
 * within the FIRST_PAGE results. Any other query: the best TABLES_ALWAYS_SHOWN anywhere in the list.
 */
export function offeredTables(
  catalog: Catalog,
  u: Understanding,
  tables: readonly Scored[],
  allows: (t: CatalogTable) => boolean,
  ctx: ResearchContext,
  maxResults: number,
): { tables: readonly Scored[]; shown: number; page: number } {
  // Whether the query describes tables is read from the best MAX_TABLE_RESULTS; the others may follow.
  const head = tables.slice(0, MAX_TABLE_RESULTS);
  const described = describedTables(u, head);
  if (described === head) return { tables: u.intent === 'tables' ? tables : head, shown: TABLES_ALWAYS_SHOWN, page: maxResults };
  const covering = described.filter((t) => t.score >= TABLE_INTENT_BONUS);
  // Around the best of them, the tables the query names first, the better matched first
  // ("employees and the orders they took": Employees before the tables referencing Orders).
  const around = withRelated(catalog, covering, allows, ctx)
    .slice(covering.length)
    .map((r) => described.find((d) => d.item.id === r.item.id) ?? tables.find((d) => d.item.id === r.item.id) ?? r)
    .sort((a, b) => Number(b.named ?? false) - Number(a.named ?? false) || b.score - a.score);
  // The merge orders by score: each table around keeps this order (its score at most the one before).
  let floor = Number.POSITIVE_INFINITY;
  const ordered = around.map((t) => ({ ...t, score: (floor = Math.min(floor, t.score)) }));
  const first = [...covering, ...ordered].slice(0, MAX_TABLE_RESULTS);
  // The other tables the words match follow every row (a negative score keeps their order).
  const rest = [...described, ...tables.slice(MAX_TABLE_RESULTS)]
    .filter((d) => !first.some((f) => f.item.id === d.item.id))
    .map((d) => ({ ...d, score: Math.min(d.score, 1) / 2 - 1 }));
  return { tables: [...first, ...rest], shown: first.length, page: FIRST_PAGE };
}

/** Row ids carry the primary key; rows of a table without one are cached and get result-row ids. */
async function rowItems(deps: ResearchDeps, ctx: ResearchContext, ranked: readonly Ranked[]): Promise<SearchResultItem[]> {
  const keyless = new Map<CatalogTable, Ranked[]>();
  for (const r of ranked)
    if (r.candidate.table.table.primaryKey.length === 0)
      keyless.set(r.candidate.table.table, [...(keyless.get(r.candidate.table.table) ?? []), r]);
  const cached = new Map<Ranked, string>();
  for (const [table, list] of keyless) {
    const first = list[0];
    if (!first) continue;
    const uuid = await cacheResult(deps, ctx, {
      source: `text search of ${qualifiedName(table)}`,
      form: 'natural_language',
      columns: first.candidate.columns,
      rows: list.map((r) => r.candidate.row),
      truncated: false,
      tables: [qualifiedName(table).toLowerCase()],
    });
    list.forEach((r, i) => cached.set(r, resultRowId(uuid, i + 1)));
  }
  return ranked.map((r) => {
    const { table, columns, row } = r.candidate;
    const key = table.table.primaryKey.map((k) => row[columns.findIndex((c) => c.name === k)]);
    const id = cached.get(r) ?? rowId(table.table.schema, table.table.name, key as Array<string | number>);
    return { id, title: rowTitle(table.table, columns, row), url: recordUrl(ctx, id), text: rowText(r) };
  });
}
