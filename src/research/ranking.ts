import type { Catalog, CatalogTable } from '../db/types.ts';
import { identifierWords, queryWords, sameRoot } from './words.ts';

export interface TableMatch {
  table: CatalogTable;
  score: number;
  /** Columns whose name or description matched a word. */
  columns: string[];
  /** Query words that matched something in this table's names or descriptions. */
  words: string[];
  /** Query words that matched a table, schema or column name: they say where to look, not what to find. */
  nameWords: string[];
}

const WEIGHTS = { tableName: 6, schemaName: 1, tableDescription: 2, columnName: 3, columnDescription: 1 };

const matchesAny = (words: readonly string[], candidates: readonly string[]): string[] => words.filter((w) => candidates.some((c) => sameRoot(w, c)));

/**
 * Ranks tables and views for natural-language words by where they match: the table's own name
 * weighs most, then column names, then `MS_Description` texts. Tables without any match are left
 * out. Ties keep catalog order. Pure: tested on a catalog object without a database.
 */
export function rankTables(catalog: Catalog, words: readonly string[], allows: (t: CatalogTable) => boolean): TableMatch[] {
  const matches: TableMatch[] = [];
  for (const table of catalog.tables) {
    if (!allows(table)) continue;
    let score = 0;
    const hitWords = new Set<string>();
    const nameWords = new Set<string>();
    const columns: string[] = [];
    const add = (hits: string[], weight: number, byName = false): boolean => {
      for (const h of hits) {
        hitWords.add(h);
        if (byName) nameWords.add(h);
      }
      score += hits.length * weight;
      return hits.length > 0;
    };
    add(matchesAny(words, identifierWords(table.name)), WEIGHTS.tableName, true);
    add(matchesAny(words, identifierWords(table.schema)), WEIGHTS.schemaName, true);
    if (table.description) add(matchesAny(words, queryWords(table.description, 200)), WEIGHTS.tableDescription);
    for (const column of table.columns) {
      const byName = add(matchesAny(words, identifierWords(column.name)), WEIGHTS.columnName, true);
      const byDescription = column.description ? add(matchesAny(words, queryWords(column.description, 200)), WEIGHTS.columnDescription) : false;
      if (byName || byDescription) columns.push(column.name);
    }
    if (score > 0) matches.push({ table, score, columns, words: [...hitWords], nameWords: [...nameWords] });
  }
  return matches.sort((a, b) => b.score - a.score);
}
