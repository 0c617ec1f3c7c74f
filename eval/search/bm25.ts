import { DatabaseSync } from 'node:sqlite';
import type { Catalog, CatalogTable, Db } from '../../src/db/types.ts';
import { quoteName, quotedTable } from '../../src/research/identifiers.ts';
import { rowId, tableId } from '../../src/research/ids.ts';

/** The baseline: one SQLite FTS5 index over the same rows and table documents, ranked by `bm25()`. */
export interface Bm25Index {
  documents: number;
  search(query: string, k: number): { ids: string[]; ms: number };
  close(): void;
}

/** "SupportTickets" → "Support Tickets", "OrderID" → "Order ID": names as words a tokenizer can meet. */
export const splitName = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');

/** A table's document: its name (as written and split into words), column names and descriptions. */
export function tableDocument(table: CatalogTable): string {
  const columns = table.columns.map((c) => `${c.name} ${splitName(c.name)} ${c.description ?? ''}`);
  return [`${table.schema}.${table.name}`, splitName(table.name), table.description ?? '', ...columns].join('\n');
}

/** The query as an OR of its tokens, each quoted so FTS5 reads none of them as syntax. */
export function ftsQuery(query: string): string | undefined {
  const tokens = [...new Set((query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))];
  return tokens.length === 0 ? undefined : tokens.map((t) => `"${t}"`).join(' OR ');
}

/**
 * Builds the index from the database itself: every table with a primary key contributes one
 * document per row (all its text columns concatenated, rows without text left out), keyed by the
 * connector's row id; every table and view contributes a table document keyed by its table id.
 * The tokenizer is FTS5's `porter unicode61` (English stemming, diacritics folded).
 */
export async function buildBm25Index(db: Db, catalog: Catalog): Promise<Bm25Index> {
  const sqlite = new DatabaseSync(':memory:');
  sqlite.exec("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize = 'porter unicode61 remove_diacritics 2')");
  const insert = sqlite.prepare('INSERT INTO docs (id, body) VALUES (?, ?)');
  let documents = 0;
  sqlite.exec('BEGIN');
  for (const table of catalog.tables) {
    insert.run(tableId(table.schema, table.name), tableDocument(table));
    documents++;
  }
  for (const table of catalog.tables) {
    const text = table.columns.filter((c) => c.isText).map((c) => c.name);
    if (table.kind !== 'table' || table.primaryKey.length === 0 || text.length === 0) continue;
    const columns = [...table.primaryKey, ...text.filter((c) => !table.primaryKey.includes(c))];
    const result = await db.query(`SELECT ${columns.map(quoteName).join(', ')} FROM ${quotedTable(table)}`, [], { maxRows: 1_000_000, timeoutMs: 120_000 });
    const keys = table.primaryKey.length;
    for (const row of result.rows) {
      const body = row.slice(keys).filter((v): v is string => typeof v === 'string' && v.length > 0).join('\n');
      if (body.length === 0) continue;
      insert.run(rowId(table.schema, table.name, row.slice(0, keys)), body);
      documents++;
    }
  }
  sqlite.exec('COMMIT');
  const select = sqlite.prepare('SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?');
  return {
    documents,
    search(query, k) {
      const started = performance.now();
      const match = ftsQuery(query);
      const ids = match === undefined ? [] : select.all(match, k).map((r) => String(r.id));
      return { ids, ms: performance.now() - started };
    },
    close: () => sqlite.close(),
  };
}
