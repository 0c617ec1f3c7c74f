import MiniSearch from 'minisearch';
import type { Catalog, CatalogTable } from '../../db/types.ts';
import { spelledOut } from '../ranking.ts';
import { identifierWords, usSpelling } from '../words.ts';
import { stemOf } from './terms.ts';
import { tokens } from './understand.ts';

/**
 * A BM25 index over the catalog's table documents, the same evidence a plain full-text index
 * has (names, column names, `MS_Description` texts), so the table ranker never knows less than
 * BM25 does: a rare word that only a description holds still finds its table. MiniSearch gives
 * BM25+ with per-field boosts and our own tokenizer and stemmer; built once per catalog and
 * visible set (the catalog object is replaced when it is reloaded).
 */
type Field = 'head' | 'name' | 'columns' | 'description' | 'columnDescriptions';

/**
 * Field boosts, in the heuristic's order: the head noun of the table's name ("Lines" of OrderLines)
 * says most — it is what a row of the table is — then its other words and schema, column names,
 * descriptions least.
 */
export const FIELD_BOOSTS: Readonly<Record<Field, number>> = { head: 6, name: 3, columns: 2, description: 1.5, columnDescriptions: 1 };

interface TableDoc extends Record<Field, string> {
  id: number;
}

/** A word as the index and the query both see it: lower case, American spelling, Porter stem. */
export const indexTerm = (word: string): string => stemOf(usSpelling(word.toLowerCase()));

/** One document per table: names as their words (abbreviations spelled out), descriptions as written. */
function documentOf(table: CatalogTable, id: number): TableDoc {
  const words = identifierWords(table.name);
  return {
    id,
    head: spelledOut(words.at(-1) ?? '').join(' '),
    name: [...words.slice(0, -1).flatMap(spelledOut), ...spelledOut(table.schema), ...(table.kind === 'view' ? ['view'] : [])].join(' '),
    columns: table.columns.flatMap((c) => spelledOut(c.name)).join(' '),
    description: table.description ?? '',
    columnDescriptions: table.columns.map((c) => c.description ?? '').join('\n'),
  };
}

export interface TableIndex {
  /** BM25 score per visible table for the weighted words (a word's score times its weight, summed). */
  scores(words: ReadonlyArray<{ word: string; weight: number }>): Map<CatalogTable, number>;
}

function buildIndex(tables: readonly CatalogTable[]): TableIndex {
  const index = new MiniSearch<TableDoc>({
    fields: Object.keys(FIELD_BOOSTS),
    tokenize: tokens,
    processTerm: (term) => indexTerm(term),
    searchOptions: { boost: { ...FIELD_BOOSTS } },
  });
  index.addAll(tables.map((t, i) => documentOf(t, i)));
  return {
    scores(words) {
      const out = new Map<CatalogTable, number>();
      // One search per word: each word's BM25 times its weight, so a synonym adds less than the
      // user's own word (MiniSearch's OR would count every matched term as a full one).
      for (const { word, weight } of words) {
        if (weight <= 0) continue;
        for (const r of index.search(word)) {
          const table = tables[r.id as number];
          if (table) out.set(table, (out.get(table) ?? 0) + weight * r.score);
        }
      }
      return out;
    },
  };
}

const cache = new WeakMap<Catalog, Map<string, TableIndex>>();

/** The index of the tables `allows` shows, built on first use for this catalog. */
export function tableIndex(catalog: Catalog, allows: (t: CatalogTable) => boolean): TableIndex {
  const visible = catalog.tables.filter(allows);
  const key = visible.map((t) => `${t.schema}.${t.name}`).join('\u0000');
  let perCatalog = cache.get(catalog);
  if (!perCatalog) cache.set(catalog, (perCatalog = new Map()));
  let index = perCatalog.get(key);
  if (!index) {
    // The policy is fixed per process: one or two visible sets per catalog, never many.
    if (perCatalog.size >= 8) perCatalog.clear();
    index = buildIndex(visible);
    perCatalog.set(key, index);
  }
  return index;
}
