import { readFileSync } from 'node:fs';
import { createGuard, type Guard } from '../../../src/sql-guard/index.ts';

/** One line of `../shared/corpus/tsql-{valid,refuse}.jsonl`. */
export interface CorpusLine {
  id: string;
  sql: string;
  features?: string[];
  technique?: string;
}

export function loadCorpus(kind: 'valid' | 'refuse'): CorpusLine[] {
  const text = readFileSync(new URL(`../../../../shared/corpus/tsql-${kind}.jsonl`, import.meta.url), 'utf8');
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
