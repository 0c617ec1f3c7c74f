import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { lexTsql as lexOwn } from '../../sandbox/engine/translate/lexer.ts';
import { splitStatements } from '../../sandbox/engine/translate/split.ts';
import { nestTokens, parseTree } from '../../sandbox/engine/translate/tree.ts';
import { lexTsql as guardLex } from '../../src/sql-guard/tsql-lexer.ts';

/** Every `sql` of every JSONL corpus: the vendored copies and the shared steering corpus. */
function corpora(): { file: string; id: string; sql: string }[] {
  const dirs = [new URL('../corpus/', import.meta.url), new URL('../../../shared/corpus/', import.meta.url)];
  const out: { file: string; id: string; sql: string }[] = [];
  for (const dir of dirs) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    } catch {
      continue;
    }
    for (const name of names) {
      for (const line of readFileSync(new URL(name, dir), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const entry = JSON.parse(line) as { id?: string; sql?: unknown };
        if (typeof entry.sql === 'string') out.push({ file: new URL(name, dir).pathname, id: entry.id ?? '?', sql: entry.sql });
      }
    }
  }
  return out;
}

/** Statement texts as the sandbox's splitter finds them on a token stream. */
function statements(sql: string, nodes: ReturnType<typeof parseTree>): string[] {
  const parts = splitStatements(nodes, sql);
  return parts.map((p, i) => sql.slice(p.start, parts[i + 1]?.start ?? sql.length).trim());
}

describe("the sandbox's own lexer and the guard's", () => {
  const entries = corpora();
  test('the corpora are there to compare', () => {
    assert.ok(entries.length >= 100, `only ${entries.length} corpus entries found`);
  });
  test('agree on statement boundaries for every corpus entry', () => {
    const disagreements: string[] = [];
    for (const { file, id, sql } of entries) {
      const ours = statements(sql, parseTree(sql));
      const theirs = statements(sql, nestTokens(guardLex(sql)));
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        disagreements.push(
          `${file} ${id}: ${JSON.stringify(sql)}\n  sandbox: ${JSON.stringify(ours)}\n  guard:   ${JSON.stringify(theirs)}`,
        );
      }
    }
    assert.deepEqual(disagreements, []);
  });
  test('agree on every significant token (kind and text) for every corpus entry', () => {
    const disagreements: string[] = [];
    const sig = (tokens: readonly { kind: string; text: string }[]): string[] =>
      tokens.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment').map((t) => `${t.kind}:${t.text}`);
    for (const { file, id, sql } of entries) {
      const ours = sig(lexOwn(sql));
      const theirs = sig(guardLex(sql));
      const at = ours.findIndex((t, i) => t !== theirs[i]);
      if (at >= 0 || ours.length !== theirs.length)
        disagreements.push(
          `${file} ${id}: ${JSON.stringify(sql)}\n  first difference: sandbox ${ours[at] ?? '(end)'} / guard ${theirs[at < 0 ? ours.length : at] ?? '(end)'}`,
        );
    }
    assert.deepEqual(disagreements, []);
  });
});
