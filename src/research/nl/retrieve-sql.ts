import type { CatalogTable, DbParam } from '../../db/types.ts';
import { quoteName, quotedTable } from '../identifiers.ts';
import { escapeLike, isStopWord } from '../words.ts';
import type { ValueFilter } from './column-values.ts';
import type { SearchTable } from './pick-tables.ts';
import type { Identifier, Term } from './understand.ts';

/**
 * Stage 3a: the T-SQL of retrieval (SQL Server 2019+). Only catalog names, bracket-quoted, and
 * constants of our own enter the SQL text; every piece of the query travels as a parameter.
 */
export interface BuiltQuery {
  sql: string;
  params: DbParam[];
}

/** Score columns added after the table's own columns; the caller strips them. */
export const SCORE = '__score';
export const BEST = '__best';

/** ` <lower-case text of the columns> `, one string per row (see terms.ts for the patterns). */
function padded(columns: readonly string[], prefix: string): string {
  // CAST first: LOWER and CONCAT refuse the old text/ntext types.
  const text = (c: string): string => `CAST(${prefix}${quoteName(c)} AS nvarchar(max))`;
  const joined = columns.length === 1 ? `ISNULL(${text(columns[0] ?? '')}, N'')` : `CONCAT(${columns.map(text).join(", N' ', ")})`;
  return `N' ' + LOWER(${joined}) + N' '`;
}

/** The columns read, long text cut to 2 000 characters (enough for a snippet). */
export function readList(s: SearchTable): string {
  return s.readColumns
    .map((name) => {
      const c = s.table.columns.find((x) => x.name === name);
      return c?.isText && (c.maxLength === -1 || (c.maxLength ?? 0) > 2_000)
        ? `LEFT(CAST(t.${quoteName(name)} AS nvarchar(max)), 2000) AS ${quoteName(name)}`
        : `t.${quoteName(name)}`;
    })
    .join(', ');
}

const orderByKey = (table: CatalogTable): string => table.primaryKey.map((k) => `, t.${quoteName(k)}`).join('');

/**
 * Ranked word search over one table's text columns:
 *
 *   score = Σ weight(term) · idf(term) · (match(term) + ½ · match in a title column)
 *   idf   = log10((rows + df + 1) / (df + ½)), df = rows matching the term (counted in the same query)
 *
 * returned with `best` (the score of a row matching every user word in a title), so scores can
 * be normalised, and with each term's flags (`__m`i matched, `__h`i in a title) and count (`__d`i),
 * so rank-merge.ts can re-score rows of all tables with IDF over all of them. `only` (column-values.ts)
 * limits the scan to rows holding one of the values the terms can match: the same rows and scores.
 */
export function rankedSearch(s: SearchTable, terms: readonly Term[], top: number, only?: ValueFilter): BuiltQuery {
  const params: DbParam[] = [
    { name: 'top', type: 'int', value: top },
    { name: 'rows', type: 'int', value: Math.max(1, Math.min(2_000_000_000, s.table.rowCount ?? 1_000)) },
  ];
  const hasTitle = s.titleColumns.length > 0;
  const termSql = terms.map((term, ti) => {
    const names = term.patterns.map((p, pi) => {
      const name = `t${ti}_${pi}`;
      params.push({ name, type: 'nvarchar', value: p });
      return name;
    });
    const on = (column: string): string => names.map((n) => `${column} LIKE @${n}`).join(' OR ');
    return { all: on('[__a]'), title: hasTitle ? on('[__b]') : '1 = 0', weight: term.weight, user: term.source === 'query' };
  });
  const n = termSql.map((_, i) => i);
  // Rows matching only a table name or a framing word are no answer (rank-merge.ts drops them): not returned.
  const wanted = terms.some((t) => t.core) ? n.filter((i) => terms[i]?.core) : n;
  // Each LIKE runs once per row: the flags are computed in a derived table that TOP keeps from
  // being merged into the outer queries (which would repeat them in WHERE, SUM and the score).
  const flags = n.map((i) => `CASE WHEN ${termSql[i]?.all} THEN 1 ELSE 0 END AS [__m${i}]`).join(', ');
  const titleText = hasTitle ? padded(s.titleColumns, '') : "N''";
  const titles = n.map((i) => `CASE WHEN [__m${i}] = 1 AND (${termSql[i]?.title}) THEN 1 ELSE 0 END AS [__h${i}]`).join(', ');
  const dfs = n.map((i) => `SUM([__m${i}]) OVER () AS [__d${i}]`).join(', ');
  const idf = (i: number): string => `LOG10((@rows + [__d${i}] + 1.0) / ([__d${i}] + 0.5))`;
  const score = termSql.map((t, i) => `${t.weight} * ${idf(i)} * ([__m${i}] + 0.5 * [__h${i}])`).join(' + ');
  const best =
    termSql
      .map((t, i) => (t.user ? `${t.weight * (hasTitle ? 1.5 : 1)} * ${idf(i)}` : ''))
      .filter(Boolean)
      .join(' + ') || '1.0';
  const read = s.readColumns.map(quoteName).join(', ');
  const where =
    only && only.length > 0
      ? ` WHERE ${only
          .map(
            (f, fi) =>
              `t.${quoteName(f.column)} IN (${f.values
                .map((v, vi) => {
                  params.push({ name: `v${fi}_${vi}`, type: 'nvarchar', value: v });
                  return `@v${fi}_${vi}`;
                })
                .join(', ')})`,
          )
          .join(' OR ')}`
      : '';
  const sql =
    `WITH m AS (SELECT TOP (2147483647) ${readList(s)}, ${flags} FROM ${quotedTable(s.table)} AS t ` +
    `CROSS APPLY (SELECT ${padded(s.textColumns, 't.')} AS [__a]) AS x${where}), ` +
    `h AS (SELECT TOP (2147483647) m.*, ${titles} FROM (SELECT m.*, ${titleText} AS [__b] FROM m WHERE ${wanted.map((i) => `[__m${i}]`).join(' + ')} > 0) AS m), ` +
    `s AS (SELECT h.*, ${dfs} FROM h) ` +
    `SELECT TOP (@top) ${read}, ${score} AS [${SCORE}], ${best} AS [${BEST}], ${n.map((i) => `[__m${i}], [__h${i}], [__d${i}]`).join(', ')} FROM s ORDER BY [${SCORE}] DESC${s.table.primaryKey.map((k) => `, ${quoteName(k)}`).join('')}`;
  return { sql, params };
}

/**
 * The full-text condition for `CONTAINSTABLE`: `ISABOUT` with each user word as
 * `FORMSOF(INFLECTIONAL, "word")` and each synonym phrase quoted, weighted as in the LIKE path
 * (synonyms below the user's words). Terms are letters and digits only, always double-quoted, so
 * no word of the query can become an operator. Undefined when no term is left.
 */
export function fullTextCondition(terms: readonly Term[]): string | undefined {
  const parts = terms.map((t) => {
    const weight = `WEIGHT(${Math.min(1, Math.max(0.01, t.weight)).toFixed(2)})`;
    return t.words.length === 1 ? `FORMSOF(INFLECTIONAL, "${t.words[0]}") ${weight}` : `"${t.words.join(' ')}" ${weight}`;
  });
  return parts.length > 0 ? `ISABOUT(${parts.join(', ')})` : undefined;
}

/**
 * The same question through SQL Server Full-Text Search: `CONTAINSTABLE` over every full-text
 * indexed column with the weighted condition above, joined back on the single-column key, ordered
 * by `RANK` (the server's own word breaker and stemmer).
 */
export function fullTextSearch(s: SearchTable, terms: readonly Term[], top: number): BuiltQuery | undefined {
  const key = s.table.primaryKey.length === 1 ? s.table.primaryKey[0] : undefined;
  // The server drops noise words from a phrase: "not received" would find every "received".
  const kept = terms.filter(
    (t) => t.words.every((w) => /^[\p{L}\p{N}]+$/u.test(w)) && (t.words.length === 1 || t.words.filter((w) => !isStopWord(w)).length >= 2),
  );
  const condition = fullTextCondition(kept);
  if (!key || !condition) return undefined;
  const sql =
    `SELECT TOP (@top) ${readList(s)}, ft.[RANK] AS [${SCORE}], 1000 AS [${BEST}] ` +
    `FROM CONTAINSTABLE(${quotedTable(s.table)}, *, @q) AS ft JOIN ${quotedTable(s.table)} AS t ON t.${quoteName(key)} = ft.[KEY] ` +
    `ORDER BY ft.[RANK] DESC${orderByKey(s.table)}`;
  return {
    sql,
    params: [
      { name: 'top', type: 'int', value: top },
      { name: 'q', type: 'nvarchar', value: condition },
    ],
  };
}

/**
 * Exact lookups of identifiers in one table: numbers in the integer key, codes and e-mails in short
 * text columns, names in short title-like columns (a name also as the start of a longer value: "Brisa Pedestal Fan" finds
 * "Brisa Pedestal Fan 40cm"), a person's full name across given-name and family-name columns. Undefined when the table has nowhere to look.
 */
export function lookup(s: SearchTable, identifiers: readonly Identifier[], top: number): BuiltQuery | undefined {
  const params: DbParam[] = [{ name: 'top', type: 'int', value: top }];
  const conditions: string[] = [];
  identifiers.forEach((id, i) => {
    if (id.kind === 'number') {
      const n = Number(id.value);
      if (!s.intKey || !Number.isSafeInteger(n) || n > 2_147_483_647) return;
      params.push({ name: `i${i}`, type: 'int', value: n });
      conditions.push(`t.${quoteName(s.intKey)} = @i${i}`);
      return;
    }
    const columns = id.kind === 'name' ? s.nameColumns : s.codeColumns;
    if (columns.length === 0) return;
    params.push({ name: `i${i}`, type: 'nvarchar', value: id.value.toLowerCase() });
    const prefix = id.kind === 'name';
    if (prefix) params.push({ name: `i${i}p`, type: 'nvarchar', value: `${escapeLike(id.value.toLowerCase())} %` });
    for (const c of columns) {
      conditions.push(`LOWER(t.${quoteName(c)}) = @i${i}`);
      if (prefix) conditions.push(`LOWER(t.${quoteName(c)}) LIKE @i${i}p ESCAPE '!'`);
    }
    // "Léa Wagner" in a table that splits the name: given and family name together.
    if (id.kind === 'name' && s.personName && /\s/.test(id.value.trim())) {
      const [given, family] = s.personName.map((c) => `t.${quoteName(c)}`);
      conditions.push(`LOWER(CONCAT(${given}, N' ', ${family})) = @i${i}`);
    }
  });
  if (conditions.length === 0) return undefined;
  const sql = `SELECT TOP (@top) ${readList(s)}, 1.0 AS [${SCORE}], 1.0 AS [${BEST}] FROM ${quotedTable(s.table)} AS t WHERE ${conditions.join(' OR ')} ORDER BY 1`;
  return { sql, params };
}

/** Rows of `s` whose foreign-key columns equal the given values (one FK, one parent row). */
export function related(s: SearchTable, columns: readonly string[], values: readonly unknown[], top: number): BuiltQuery | undefined {
  const params: DbParam[] = [{ name: 'top', type: 'int', value: top }];
  const where: string[] = [];
  for (const [i, c] of columns.entries()) {
    const v = values[i];
    if (typeof v === 'number' && Number.isSafeInteger(v)) params.push({ name: `k${i}`, type: 'bigint', value: v });
    else if (typeof v === 'string') params.push({ name: `k${i}`, type: 'nvarchar', value: v });
    else return undefined;
    where.push(`t.${quoteName(c)} = @k${i}`);
  }
  const sql = `SELECT TOP (@top) ${readList(s)}, 1.0 AS [${SCORE}], 1.0 AS [${BEST}] FROM ${quotedTable(s.table)} AS t WHERE ${where.join(' AND ')} ORDER BY 1 DESC`;
  return { sql, params };
}

/** Which tables have a full-text index (none when the server has no Full-Text Search). */
export const FULL_TEXT_TABLES_SQL =
  'SELECT s.name AS [schema], o.name AS [table] FROM sys.fulltext_indexes AS i JOIN sys.objects AS o ON o.object_id = i.object_id JOIN sys.schemas AS s ON s.schema_id = o.schema_id';
