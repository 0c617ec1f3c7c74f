import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuard, type GuardVerdict, UNPROVEN_REASON } from '../../../src/sql-guard/index.ts';
import { lexTsql, significantTokens } from '../../../src/sql-guard/tsql-lexer.ts';
import { ACCEPT } from './cases.ts';
import { loadCorpus, openGuard } from './corpus.ts';

const guard = openGuard();

/** Small deterministic PRNG (mulberry32) so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The guard refuses a query when checking it throws (fail closed), so "never throws" is asserted on
 * the verdict: a refusal that only says checking failed means the guard's own code threw.
 */
function verdictOf(sql: string): GuardVerdict {
  const v = guard.check(sql);
  assert.ok(v.ok || v.reason !== UNPROVEN_REASON, `checking threw for ${JSON.stringify(sql)}`);
  return v;
}

const FRAGMENTS = [
  'SELECT',
  'FROM',
  'WHERE',
  'DELETE',
  'DROP',
  'EXEC',
  ';',
  "'",
  "''",
  '"',
  '[',
  ']',
  ']]',
  '(',
  ')',
  '/*',
  '*/',
  '--',
  '\n',
  '\r',
  '\\',
  '`',
  '#',
  '$',
  'N',
  "N'",
  '@',
  '@@',
  '.',
  ',',
  '*',
  '=',
  'sales.Orders',
  'x',
  '1',
  '0x1F',
  'TOP',
  'UNION',
  'WITH',
  'AS',
  'CASE',
  'END',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\ufeff',
  '\u0085',
  'ＤＲＯＰ',
  '😀',
  '\u0000',
  ' ',
];

const INJECTIONS = [
  'DELETE FROM sales.Orders',
  'DROP TABLE sales.Orders',
  'EXEC xp_cmdshell',
  'INSERT INTO t VALUES (1)',
  'UPDATE sales.Orders SET Total = 0',
  'TRUNCATE TABLE t',
  "WAITFOR DELAY '0:0:5'",
  '; SELECT 2',
  'SELECT 2',
  'ENABLE TRIGGER t ON u',
  'SHUTDOWN',
  'COMMIT',
  'DECLARE @x int',
  'SET NOCOUNT ON',
  'BEGIN TRAN',
];

describe('properties', () => {
  test('random junk never makes the checker throw and always yields a real verdict (seeded, 3000 inputs)', () => {
    const next = random(0xc0ffee);
    for (let n = 0; n < 3000; n++) {
      const parts: string[] = [];
      const count = 1 + Math.floor(next() * 12);
      for (let i = 0; i < count; i++) parts.push(FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] as string);
      const sql = parts.join(next() < 0.5 ? ' ' : '');
      const v = verdictOf(sql);
      assert.equal(typeof v.ok, 'boolean', JSON.stringify(sql));
      if (v.ok) {
        assert.ok(verdictOf(v.sql).ok, `re-check of ${JSON.stringify(v.sql)}`);
        assert.ok(!/;\s*\S/.test(v.sql.replace(/'(?:[^']|'')*'/g, "''")), JSON.stringify(v.sql));
      } else assert.ok(v.reason.length > 0);
    }
  });

  test('cut, spliced and fragment-mutated corpus statements never make the checker throw (seeded)', () => {
    const next = random(0xbadc0de);
    const all = [...loadCorpus('valid'), ...loadCorpus('refuse')].map((l) => l.sql);
    for (const sql of all) {
      for (let k = 0; k < 2; k++) {
        const at = Math.floor(next() * (sql.length + 1));
        const fragment = FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] as string;
        const other = all[Math.floor(next() * all.length)] as string;
        verdictOf(sql.slice(0, at));
        verdictOf(`${sql.slice(0, at)}${fragment}${sql.slice(at)}`);
        verdictOf(`${sql.slice(0, at)}${other.slice(Math.floor(next() * other.length))}`);
      }
    }
  });

  test('the SQL that runs keeps every checked token, in order, and adds only the row cap', () => {
    const roomy = createGuard({ maxLength: 20_000, rowCap: 1_000_000_000, denySchemas: [], denyTables: [] });
    const texts = (sql: string): string[] => significantTokens(lexTsql(sql)).map((t) => t.text);
    // (a computed TOP gets a CASE around it, TOP … PERCENT a wrapper that repeats its ORDER BY;
    // row-cap.test.ts covers those rewrites; a top-level FOR JSON/XML becomes a scalar subquery)
    const inputs = [...loadCorpus('valid').map((l) => l.sql), ...Object.values(ACCEPT).flat()].filter(
      (s) => !/TOP \(SELECT|PERCENT/i.test(s),
    );
    for (const sql of inputs) {
      const v = roomy.check(sql);
      assert.ok(v.ok, sql);
      if (!v.ok) continue;
      const input = texts(sql).filter((t, i, all) => !(t === ';' && i === all.length - 1));
      const output = texts(v.sql);
      let j = 0;
      const added: string[] = [];
      for (const t of output) {
        if (j < input.length && t === input[j]) j++;
        else added.push(t);
      }
      assert.equal(j, input.length, `lost tokens of ${JSON.stringify(sql)} in ${v.sql}`);
      assert.ok(
        added.every((t) =>
          /^(SELECT|TOP|\(|\)|\*|FROM|AS|capped|ORDER|BY|1|OFFSET|0|ROWS|FETCH|NEXT|ONLY|1000000001|CAST|nvarchar|max|\[json\]|\[xml\])$/.test(
            t,
          ),
        ),
        `${v.sql} adds ${added.join(' ')}`,
      );
    }
  });

  test('non-text input is refused as such, without the checker throwing', () => {
    for (const value of [undefined, null, 42, {}, ['SELECT 1']]) {
      const v = verdictOf(value as unknown as string);
      assert.equal(v.ok, false);
      if (!v.ok) assert.equal(v.code, 'SQL_PARSE_ERROR');
    }
  });

  test('a statement injected between any two tokens of a valid query is refused (seeded)', () => {
    const next = random(1234);
    const valid = loadCorpus('valid');
    const accepted: string[] = [];
    for (const line of valid) {
      const gaps = lexTsql(line.sql).filter((t) => t.kind === 'whitespace');
      for (let k = 0; k < 6 && gaps.length > 0; k++) {
        const gap = gaps[Math.floor(next() * gaps.length)];
        const injection = INJECTIONS[Math.floor(next() * INJECTIONS.length)] as string;
        if (!gap) continue;
        const sql = `${line.sql.slice(0, gap.end)} ${injection} ${line.sql.slice(gap.end)}`;
        const v = verdictOf(sql);
        if (v.ok) accepted.push(`${line.id}: ${sql}`);
      }
    }
    assert.deepEqual(accepted, []);
  });

  test('checking a corpus statement is fast (goal p99 <= 5 ms; best of 5 per statement asserted < 10 ms)', (t) => {
    const all = [...loadCorpus('valid'), ...loadCorpus('refuse')].map((l) => l.sql);
    for (const sql of all) guard.check(sql); // warm up
    const times: number[] = [];
    const best = all.map(() => Infinity);
    for (let round = 0; round < 5; round++) {
      all.forEach((sql, i) => {
        const start = performance.now();
        guard.check(sql);
        const ms = performance.now() - start;
        times.push(ms);
        best[i] = Math.min(best[i] as number, ms);
      });
    }
    const quantile = (list: number[], q: number): number => {
      const sorted = [...list].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
    };
    t.diagnostic(
      `guard check over ${all.length} corpus statements x5: p50 ${quantile(times, 0.5).toFixed(3)} ms, ` +
        `p99 ${quantile(times, 0.99).toFixed(3)} ms; per statement (best of 5) p99 ${quantile(best, 0.99).toFixed(3)} ms`,
    );
    // The goal is 5 ms; best-of-5 per statement filters GC pauses and a busy CPU, and the bound
    // leaves room for a slow CI machine.
    assert.ok(quantile(best, 0.99) < 10, `p99 ${quantile(best, 0.99)} ms`);
  });
});
