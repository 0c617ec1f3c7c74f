import { readFileSync } from 'node:fs';
import { createGuard, type Guard } from '../../../src/sql-guard/index.ts';
import { corpusUrl } from '../../helpers/corpus.ts';

/** One line of the corpora `tsql-{valid,refuse}.jsonl` (see tests/helpers/corpus.ts). */
export interface CorpusLine {
  id: string;
  sql: string;
  features?: string[];
  technique?: string;
}

export function loadCorpus(kind: 'valid' | 'refuse'): CorpusLine[] {
  const text = readFileSync(corpusUrl(`tsql-${kind}.jsonl`), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusLine);
}

/** Groups lines by a key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

/** The guard most tests use: no deny-lists, a 100-row cap. */
export function openGuard(): Guard {
  return createGuard({ maxLength: 20_000, rowCap: 100, denySchemas: [], denyTables: [] });
}
