import { DatabaseSync } from 'node:sqlite';
import type { Catalog, CatalogTable, Db } from '../../src/db/types.ts';
import { quoteName, quotedTable } from '../../src/research/identifiers.ts';
import { rowId, tableId } from '../../src/research/ids.ts';

/**
 * The baseline: SQLite FTS5 indexes over the same rows and over table documents, ranked by
 * `bm25()`. Schema questions are searched in the table documents, the others in the rows: the
 * baseline is told the query's kind, which the connector has to work out for itself.
 */
export interface Bm25Index {
  documents: { tables: number; rows: number };
  search(query: string, scope: 'tables' | 'rows', k: number): { ids: string[]; ms: number };
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
  const tokens = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
  return tokens.length === 0 ? undefined : tokens.map((t) => `"${t}"`).join(' OR ');
}

/**
 * Builds the indexes from the database itself: every table with a primary key contributes one
 * document per row (all its text columns concatenated, rows without text left out), keyed by the
 * connector's row id; every table and view contributes a table document keyed by its table id.
 * The tokenizer is FTS5's `porter unicode61` (English stemming, diacritics folded).
 */
export async function buildBm25Index(db: Db, catalog: Catalog): Promise<Bm25Index> {
  const sqlite = new DatabaseSync(':memory:');
  for (const scope of ['tables', 'rows']) {
    sqlite.exec(`CREATE VIRTUAL TABLE ${scope} USING fts5(id UNINDEXED, body, tokenize = 'porter unicode61 remove_diacritics 2')`);
  }
  const insertTable = sqlite.prepare('INSERT INTO tables (id, body) VALUES (?, ?)');
  const insert = sqlite.prepare('INSERT INTO rows (id, body) VALUES (?, ?)');
  const documents = { tables: 0, rows: 0 };
  sqlite.exec('BEGIN');
  for (const table of catalog.tables) {
    insertTable.run(tableId(table.schema, table.name), tableDocument(table));
    documents.tables++;
  }
  for (const table of catalog.tables) {
    const text = table.columns.filter((c) => c.isText).map((c) => c.name);
    if (table.kind !== 'table' || table.primaryKey.length === 0 || text.length === 0) continue;
    const columns = [...table.primaryKey, ...text.filter((c) => !table.primaryKey.includes(c))];
    const result = await db.query(`SELECT ${columns.map(quoteName).join(', ')} FROM ${quotedTable(table)}`, [], {
      maxRows: 1_000_000,
      timeoutMs: 120_000,
    });
    const keys = table.primaryKey.length;
    for (const row of result.rows) {
      const body = row
        .slice(keys)
        .filter((v): v is string => typeof v === 'string' && v.length > 0)
        .join('\n');
      if (body.length === 0) continue;
      insert.run(rowId(table.schema, table.name, row.slice(0, keys)), body);
      documents.rows++;
    }
  }
  sqlite.exec('COMMIT');
  const select = {
    tables: sqlite.prepare('SELECT id FROM tables WHERE tables MATCH ? ORDER BY bm25(tables) LIMIT ?'),
    rows: sqlite.prepare('SELECT id FROM rows WHERE rows MATCH ? ORDER BY bm25(rows) LIMIT ?'),
  };
  return {
    documents,
    search(query, scope, k) {
      const started = performance.now();
      const match = ftsQuery(query);
      const ids = match === undefined ? [] : select[scope].all(match, k).map((r) => String(r.id));
      return { ids, ms: performance.now() - started };
    },
    close: () => sqlite.close(),
  };
}
