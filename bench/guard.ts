import { readFileSync } from 'node:fs';
import transactsql from 'node-sql-parser/build/transactsql.js';
import { createGuard } from '../src/sql-guard/index.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

export interface GuardBenchOptions {
  /** JSONL files with a `sql` field per line (the shared valid and refuse corpora). */
  corpusFiles: readonly string[];
  /** Passes over the whole corpus; the first one is a warm-up and is not measured. */
  rounds: number;
}

export interface GuardBenchResult {
  statements: number;
  accepted: number;
  refused: number;
  /** Measured calls (statements × measured rounds). */
  samples: number;
  /** `createGuard(policy).check(sql)` per statement. */
  guard: Summary;
  /** node-sql-parser's bare `astify` (transactsql) on the same text, the parser the guard consults. */
  astify: Summary;
  /** Statements the bare parser could not read (it throws; the time to throw is counted). */
  astifyFailures: number;
  ratioP50: number;
  ratioP99: number;
}

interface BareParser {
  astify(sql: string, options: { database: string }): unknown;
}

/** Reads the `sql` of every line of the corpus files. */
export function readCorpus(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { sql: string }).sql),
  );
}

/**
 * Benchmark 3: guard time per statement over the corpora, against node-sql-parser's bare
 * `astify` on the same statements. Each statement is timed on its own, guard and parser
 * alternating per statement so both see the same machine state; the policy is the connector's
 * default (20 000 characters, row cap 50, no deny lists).
 */
export function benchmarkGuard(options: GuardBenchOptions): GuardBenchResult {
  const statements = readCorpus(options.corpusFiles);
  const guard = createGuard({ maxLength: 20_000, rowCap: 50, denySchemas: [], denyTables: [] });
  const { Parser } = transactsql as unknown as { Parser: new () => BareParser };
  const parser = new Parser();
  const guardTimes: number[] = [];
  const astifyTimes: number[] = [];
  let accepted = 0;
  let astifyFailures = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    const measured = round > 0;
    for (const text of statements) {
      let start = performance.now();
      const verdict = guard.check(text);
      const guardMs = performance.now() - start;
      let parsed = true;
      start = performance.now();
      try {
        parser.astify(text, { database: 'transactsql' });
      } catch {
        parsed = false;
      }
      const astifyMs = performance.now() - start;
      if (!measured) continue;
      guardTimes.push(guardMs);
      astifyTimes.push(astifyMs);
      if (round === 1) {
        if (verdict.ok) accepted += 1;
        if (!parsed) astifyFailures += 1;
      }
    }
  }
  const g = summarize(guardTimes);
  const a = summarize(astifyTimes);
  return {
    statements: statements.length,
    accepted,
    refused: statements.length - accepted,
    samples: guardTimes.length,
    guard: g,
    astify: a,
    astifyFailures,
    ratioP50: g.p50 / a.p50,
    ratioP99: g.p99 / a.p99,
  };
}
