import { existsSync, readFileSync } from 'node:fs';

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

/** One line of the corpora: `{id, sql, features}` (valid) or `{id, sql, technique}` (refuse). */
export interface CorpusLine {
  id: string;
  sql: string;
  features?: string[];
  technique?: string;
}

/**
 * Every statement of a corpus: the shared one, plus for `refuse` the project's own sections
 * (`tests/corpus/tsql-refuse-ours.jsonl`: one section per hardening class, ids r301 and up), which
 * live apart because the shared copy is read-only and the vendored copy must stay identical to it.
 */
export function loadCorpus(kind: 'valid' | 'refuse'): CorpusLine[] {
  const parse = (url: URL): CorpusLine[] =>
    readFileSync(url, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as CorpusLine);
  const lines = parse(corpusUrl(`tsql-${kind}.jsonl`));
  return kind === 'refuse' ? [...lines, ...parse(new URL('tsql-refuse-ours.jsonl', VENDORED))] : lines;
}
