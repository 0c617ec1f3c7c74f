import { createGuard, type Guard } from '../../../src/sql-guard/index.ts';

export { loadCorpus, type CorpusLine } from '../../helpers/corpus.ts';

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
