import { syntaxError, TsqlError } from '../errors.ts';
import { readChain } from './emit.ts';
import { RESERVED } from './keywords.ts';
import { isGroup, isIdentLike, isPunct, nodeText, splitCommas, word, type Node } from './tree.ts';

/** A table's full-text index as the translator needs it (PostgreSQL lower-case names). */
export interface FullTextIndex {
  schema: string;
  table: string;
  key: string;
  columns: string[];
  /** The side table (in tsql_meta) holding each row's key `k`, document `doc` and per-column `cols`. */
  side: string;
}

/** A table named in the statement's FROM/JOIN clauses, with its alias. */
export interface TableRef {
  schema: string;
  table: string;
  alias: string | undefined;
  /** As written, for error messages. */
  written: string;
}

/** What a statement that uses full-text predicates knows: the indexes and the tables it reads. */
export interface FullTextInfo {
  indexes: FullTextIndex[];
  refs: TableRef[];
}

const FT_WORDS = new Set(['CONTAINS', 'FREETEXT', 'CONTAINSTABLE', 'FREETEXTTABLE']);

/** Whether a statement calls a full-text predicate or rowset function (so the engine loads the index list). */
export function usesFullText(nodes: readonly Node[]): boolean {
  return nodes.some((n, i) => (isGroup(n) ? usesFullText(n.items) : FT_WORDS.has(word(n)) && isGroup(nodes[i + 1])));
}

/** The table named at `nodes[i]` (`[db.]schema.table`, dbo by default), without an alias. */
export function tableAt(nodes: readonly Node[], i: number): { ref: TableRef; end: number } {
  const chain = readChain(nodes, i);
  const parts = chain.parts.map((p) => p.value);
  const table = (parts[parts.length - 1] ?? '').toLowerCase();
  const schema = (parts.length >= 2 && parts[parts.length - 2] ? (parts[parts.length - 2] as string) : 'dbo').toLowerCase();
  return { ref: { schema, table, alias: undefined, written: parts.filter((p) => p !== '').join('.') }, end: chain.end };
}

/** The tables after FROM and JOIN (and commas in a FROM list), at every nesting level. */
export function tableRefs(nodes: readonly Node[], out: TableRef[] = []): TableRef[] {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as Node;
    if (isGroup(n)) {
      tableRefs(n.items, out);
      continue;
    }
    const up = word(n);
    if (up !== 'FROM' && up !== 'JOIN') continue;
    let j = i + 1;
    while (isIdentLike(nodes[j]) && !isGroup(nodes[j + 1])) {
      const { ref, end } = tableAt(nodes, j);
      j = end;
      if (word(nodes[j]) === 'AS') j++;
      let alias: string | undefined;
      const a = nodes[j];
      if (
        isIdentLike(a) &&
        !RESERVED.has(word(a)) &&
        !['WHERE', 'ON', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'JOIN', 'GROUP', 'ORDER', 'WITH'].includes(word(a))
      ) {
        alias = a.value.toLowerCase();
        j++;
      }
      out.push({ ...ref, alias });
      if (!isPunct(nodes[j], ',')) break;
      j++;
    }
  }
  return out;
}

/** Error 7601 for a table without a full-text index. */
export function notIndexedTable(name: string): TsqlError {
  return new TsqlError(
    7601,
    `Cannot use a CONTAINS or FREETEXT predicate on table or indexed view '${name}' because it is not full-text indexed.`,
    { state: 2 },
  );
}

/** Error 7601 for a column outside the table's full-text index. */
export function notIndexedColumn(name: string): TsqlError {
  return new TsqlError(7601, `Cannot use a CONTAINS or FREETEXT predicate on column '${name}' because it is not full-text indexed.`, {
    state: 3,
  });
}

export function indexOf(info: FullTextInfo, ref: Pick<TableRef, 'schema' | 'table'>): FullTextIndex | undefined {
  return info.indexes.find((x) => x.schema === ref.schema && x.table === ref.table);
}

/** The columns a predicate searches, resolved against the statement's tables. */
export interface ResolvedColumns {
  index: FullTextIndex;
  /** Qualifier for the row's columns in PostgreSQL text (the alias, or the table's name). */
  qualifier: string;
  columns: string[];
}

/**
 * Resolves a predicate's column argument — `*`, `t.*`, a column, or `(c1, c2)` — to one
 * full-text indexed table of the statement, with SQL Server's error 7601 when the table or a
 * column is not full-text indexed.
 */
export function resolveColumns(spec: readonly Node[], info: FullTextInfo, quote: (n: string) => string): ResolvedColumns {
  const qualifierOf = (ref: TableRef): string => quote(ref.alias ?? ref.table);
  const byQualifier = (q: string[]): TableRef | undefined => {
    const last = (q[q.length - 1] ?? '').toLowerCase();
    const schema = q.length >= 2 ? (q[q.length - 2] ?? '').toLowerCase() : undefined;
    return (
      info.refs.find((r) => r.alias === last) ??
      info.refs.find((r) => r.alias === undefined && r.table === last && (schema === undefined || r.schema === schema))
    );
  };
  const firstRef = (): TableRef => {
    const ref = info.refs.find((r) => indexOf(info, r)) ?? info.refs[0];
    if (!ref) throw new TsqlError(40021, 'CONTAINS/FREETEXT in the sandbox needs the table in the FROM clause of the same SELECT.');
    return ref;
  };
  const whole = (ref: TableRef): ResolvedColumns => {
    const index = indexOf(info, ref);
    if (!index) throw notIndexedTable(ref.written);
    return { index, qualifier: qualifierOf(ref), columns: index.columns };
  };
  const chains = isGroup(spec[0]) && spec.length === 1 ? splitCommas(spec[0].items) : [spec];
  if (chains.length === 1 && spec.length === 1 && isPunct(spec[0], '*')) return whole(firstRef());
  let resolved: ResolvedColumns | undefined;
  for (const chain of chains) {
    if (!isIdentLike(chain[0])) throw syntaxError(nodeText(chain[0]));
    const parts = readChain(chain, 0).parts.map((p) => p.value);
    const col = parts[parts.length - 1] ?? '';
    const qual = parts.slice(0, -1);
    let ref: TableRef | undefined;
    if (qual.length > 0) ref = byQualifier(qual);
    else
      ref =
        info.refs.find((r) => indexOf(info, r)?.columns.includes(col.toLowerCase())) ?? (info.refs.length === 1 ? info.refs[0] : undefined);
    if (col === '*') {
      if (!ref) throw notIndexedTable(qual.join('.'));
      return whole(ref);
    }
    if (!ref) throw notIndexedColumn(col);
    const index = indexOf(info, ref);
    if (!index) throw notIndexedTable(ref.written);
    if (!index.columns.includes(col.toLowerCase())) throw notIndexedColumn(col);
    if (resolved && resolved.index !== index) throw notIndexedColumn(col);
    resolved = resolved ?? { index, qualifier: qualifierOf(ref), columns: [] };
    if (!resolved.columns.includes(col.toLowerCase())) resolved.columns.push(col.toLowerCase());
  }
  if (!resolved) throw notIndexedTable(firstRef().written);
  const order = resolved.index.columns;
  return { ...resolved, columns: order.filter((c) => resolved.columns.includes(c)) };
}
