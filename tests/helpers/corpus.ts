import { existsSync } from 'node:fs';

const SHARED = new URL('../../../shared/corpus/', import.meta.url);
const VENDORED = new URL('../corpus/', import.meta.url);

/**
 * Where the T-SQL corpora live: the steering repository's `shared/corpus/` beside this checkout
 * when it is there (the source of truth, as in CI here), else the copy in `tests/corpus/` (a clone
 * on its own, such as the SQL Server workflow on GitHub Actions).
 */
export function corpusUrl(file: 'tsql-valid.jsonl' | 'tsql-refuse.jsonl' | 'README.md'): URL {
  const shared = new URL(file, SHARED);
  return existsSync(shared) ? shared : new URL(file, VENDORED);
}
