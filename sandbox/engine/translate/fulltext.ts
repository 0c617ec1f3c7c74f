import { syntaxError, TsqlError, undeclaredVariable } from '../errors.ts';
import { quoteIdent, type TranslateContext } from './context.ts';
import type { Emitter } from './emit.ts';
import { compileContains, compileFreetext, emptyPredicate, type CompiledCondition } from './fulltext-condition.ts';
import { indexOf, notIndexedTable, resolveColumns, tableAt, type FullTextInfo, type ResolvedColumns } from './fulltext-scope.ts';
import { isIdentLike, nodeText, word, type Node } from './tree.ts';

/**
 * SQL Server's full-text predicates and rowset functions over PostgreSQL text search, reading a
 * full-text index's side table `tsql_meta.ft_<oid>` (key `k`, document `doc`, per-column `cols`;
 * see bootstrap/fulltext.ts):
 *
 * - `CONTAINS(cols, cond)` / `FREETEXT(cols, text)` → `row.key IN (SELECT k FROM side WHERE …)`;
 * - `CONTAINSTABLE(t, cols, cond [, LANGUAGE l] [, top_n])` / `FREETEXTTABLE(…)` → a derived
 *   table of `[KEY]` (the full-text key value) and `RANK` (int 0–1000, higher is better).
 *
 * Searching all indexed columns uses the GIN index on `doc`; a subset of columns is filtered by
 * it first, then checked on those columns' vectors. RANK mixes how much of the query's
 * IDF-weighted terms a row matches (80 %: rarer and more matched words rank higher, ISABOUT
 * weights apply) with `ts_rank_cd` cover density (20 %: frequency and proximity of the matches).
 */
/** Terms of one condition that get their own IDF weight in RANK. */
const MAX_RANKED = 64;

type Handler = (e: Emitter, args: Node[][]) => { sql: string };

function info(ctx: TranslateContext): FullTextInfo {
  if (!ctx.fullText) throw new TsqlError(40022, 'Full-text predicates are not available in this context in the sandbox.');
  return ctx.fullText;
}

/** The search condition: a string literal or a variable (a parameter of sp_executesql). */
function searchText(ctx: TranslateContext, arg: readonly Node[] | undefined): string {
  const n = arg?.[0];
  if (!arg || arg.length !== 1 || !n) throw syntaxError(n ? nodeText(n) : ')');
  if (n.kind === 'string') return n.value;
  if (n.kind === 'variable' && !n.text.startsWith('@@')) {
    const v = ctx.variables.get(n.text.toLowerCase());
    if (!v) throw undeclaredVariable(n.text);
    if (v.value === null) throw emptyPredicate();
    return v.value;
  }
  throw new TsqlError(40020, 'The sandbox needs a full-text search condition as a string literal or a variable.');
}

/** The searched document of a side-table row `s`: the whole document, or the chosen columns' vectors. */
function documentSql(r: ResolvedColumns, s: string): string {
  if (r.columns.length === r.index.columns.length) return `${s}.doc`;
  return `(${r.columns.map((c) => `${s}.cols[${r.index.columns.indexOf(c) + 1}]`).join(' || ')})`;
}

/** A side-table row `s` matches `q`: through the GIN index on the whole document, then on the chosen columns. */
function matchSql(r: ResolvedColumns, s: string, q: string, negated: boolean): string {
  const doc = documentSql(r, s);
  if (doc === `${s}.doc`) return `${s}.doc @@ ${q}`;
  return negated ? `${doc} @@ ${q}` : `${s}.doc @@ ${q} AND ${doc} @@ ${q}`;
}

function sideSql(r: ResolvedColumns): string {
  return `tsql_meta.${quoteIdent(r.index.side)}`;
}

function predicate(compile: (text: string) => CompiledCondition): Handler {
  return (e, args) => {
    const cond = compile(searchText(e.ctx, args[1]));
    const r = resolveColumns(args[0] ?? [], info(e.ctx), quoteIdent);
    return {
      sql: `(${r.qualifier}.${quoteIdent(r.index.key)} IN (SELECT ft_s.k FROM ${sideSql(r)} ft_s WHERE ${matchSql(r, 'ft_s', cond.match, cond.negated)}))`,
    };
  };
}

function rowset(compile: (text: string) => CompiledCondition): Handler {
  return (e, args) => {
    const ctx = e.ctx;
    const tableArg = args[0] ?? [];
    if (!isIdentLike(tableArg[0])) throw syntaxError(nodeText(tableArg[0]));
    const ft = info(ctx);
    const { ref } = tableAt(tableArg, 0);
    if (!indexOf(ft, ref)) throw notIndexedTable(ref.written);
    const r = resolveColumns(args[1] ?? [], { indexes: ft.indexes, refs: [ref] }, quoteIdent);
    const cond = compile(searchText(ctx, args[2]));
    let rest = args.slice(3);
    if (word(rest[0]?.[0]) === 'LANGUAGE') rest = rest.slice(1);
    const top = rest[0] ? topN(ctx, rest[0]) : undefined;
    for (const name of ['KEY', 'RANK']) if (!ctx.spellings.has(name.toLowerCase())) ctx.spellings.set(name.toLowerCase(), name);
    const side = sideSql(r);
    // Ranking weighs at most the first MAX_RANKED terms (one IDF lookup each); all still filter.
    const terms = cond.terms.slice(0, MAX_RANKED);
    // Per term: its IDF over the index (BM25's), times its ISABOUT weight; 0 for a term of stop words only.
    const weights = terms.map(
      (t, i) => `(SELECT CASE WHEN numnode(${t.sql}) = 0 THEN 0 ELSE ${t.weight} * ln(1 + (ft_n.n - df + 0.5) / (df + 0.5)) END
      FROM (SELECT count(*) AS df FROM ${side} ft_x WHERE ${matchSql(r, 'ft_x', t.sql, false)}) ft_df) AS w${i}`,
    );
    const doc = documentSql(r, 'ft_s');
    const sum = (f: (i: number) => string): string => terms.map((_, i) => f(i)).join(' + ');
    const coverage =
      terms.length === 0
        ? '0'
        : `COALESCE((${sum((i) => `ft_w.w${i} * (${doc} @@ ${(terms[i] as { sql: string }).sql})::int`)}) / NULLIF(${sum((i) => `ft_w.w${i}`)}, 0), 0)`;
    const score = `0.8 * ${coverage} + 0.2 * ts_rank_cd(${doc}, ${cond.match}, 32)`;
    const w =
      weights.length === 0
        ? '(SELECT 1) ft_w'
        : `(SELECT ${weights.join(', ')} FROM (SELECT count(*)::float8 AS n FROM ${side}) ft_n OFFSET 0) ft_w`;
    const order = top === undefined ? '' : ` ORDER BY 2 DESC, 1 LIMIT ${top}`;
    return {
      sql: `(SELECT ft_s.k AS "key", CAST(round(1000 * (${score})) AS integer) AS "rank" FROM ${side} ft_s CROSS JOIN ${w} WHERE ${matchSql(r, 'ft_s', cond.match, cond.negated)}${order})`,
    };
  };
}

function topN(ctx: TranslateContext, arg: readonly Node[]): number {
  const n = arg[0];
  let value: string | null | undefined;
  if (n?.kind === 'number') value = n.text;
  else if (n?.kind === 'variable') value = ctx.variables.get(n.text.toLowerCase())?.value;
  const top = Number(value);
  if (arg.length !== 1 || !Number.isInteger(top) || top < 0)
    throw new TsqlError(7614, 'The top_n_by_rank argument of CONTAINSTABLE or FREETEXTTABLE must be a non-negative integer.');
  return top;
}

/** Handlers for emitFunction (translate/functions.ts). */
export const FULLTEXT_HANDLERS: Record<string, Handler> = {
  contains: predicate(compileContains),
  freetext: predicate(compileFreetext),
  containstable: rowset(compileContains),
  freetexttable: rowset(compileFreetext),
};
