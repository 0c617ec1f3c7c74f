import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import transactsql from 'node-sql-parser/build/transactsql.js';
import { createGuard } from '../src/sql-guard/index.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

export interface GuardBenchOptions {
  /** JSONL files with a `sql` field per line (the shared valid and refuse corpora). */
  corpusFiles: readonly string[];
  /** Passes over the whole corpus; the first one is a warm-up (it counts verdicts) and is not timed. */
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
  /**
   * The same calls in process CPU time (`process.cpuUsage`, microsecond resolution, GC threads
   * included): time the process was preempted by other load does not count, so on a busy machine
   * this p99 is the truer one.
   */
  cpu: { guard: Summary; astify: Summary };
  /** Statements the bare parser could not read (it throws; the time to throw is counted). */
  astifyFailures: number;
  ratioP50: number;
  ratioP99: number;
  /** The same two timings per corpus file (valid statements run every stage; most refusals stop early). */
  byCorpus: { corpus: string; statements: number; guard: Summary; astify: Summary }[];
  /**
   * p50/p99 over statements of each statement's median time: what a statement typically costs,
   * without the pauses (GC, a busy machine preempting the process) that dominate the sample p99.
   */
  medians: { guard: Summary; astify: Summary };
  /** The statements with the highest median guard time, for whoever tunes the guard. */
  slowest: { sql: string; guardP50: number; astifyP50: number }[];
}

interface BareParser {
  astify(sql: string, options: { database: string }): unknown;
}

interface Statement {
  corpus: string;
  sql: string;
}

/** Reads the `sql` of every line of the corpus files, with the file's base name. */
export function readCorpus(files: readonly string[]): Statement[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ({ corpus: basename(file), sql: (JSON.parse(line) as { sql: string }).sql })),
  );
}

/**
 * Benchmark 3: guard time per statement over the corpora, against node-sql-parser's bare
 * `astify` on the same statements. Each statement is timed on its own, guard and parser
 * alternating per statement so both see the same machine state; the policy is the connector's
 * default (20 000 characters, row cap 50, no deny lists), in a new guard each round (cold: no
 * remembered opinions).
 */
export function benchmarkGuard(options: GuardBenchOptions): GuardBenchResult {
  const statements = readCorpus(options.corpusFiles);
  const { Parser } = transactsql as unknown as { Parser: new () => BareParser };
  const parser = new Parser();
  // times[kind][statement index] = one duration per measured round.
  const guardTimes: number[][] = statements.map(() => []);
  const astifyTimes: number[][] = statements.map(() => []);
  const guardCpu: number[] = [];
  const astifyCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  let accepted = 0;
  let astifyFailures = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    // A new guard each round: the guard remembers node-sql-parser's opinion of a statement's
    // shape, and this benchmark times a statement the guard has not seen before.
    const guard = createGuard({ maxLength: 20_000, rowCap: 50, denySchemas: [], denyTables: [] });
    statements.forEach(({ sql: text }, index) => {
      let cpu = process.cpuUsage();
      let start = performance.now();
      const verdict = guard.check(text);
      const guardMs = performance.now() - start;
      const guardCpuMs = cpuMs(cpu);
      let parsed = true;
      cpu = process.cpuUsage();
      start = performance.now();
      try {
        parser.astify(text, { database: 'transactsql' });
      } catch {
        parsed = false;
      }
      const astifyMs = performance.now() - start;
      const astifyCpuMs = cpuMs(cpu);
      if (round === 0) {
        if (verdict.ok) accepted += 1;
        if (!parsed) astifyFailures += 1;
        return;
      }
      guardTimes[index]?.push(guardMs);
      astifyTimes[index]?.push(astifyMs);
      guardCpu.push(guardCpuMs);
      astifyCpu.push(astifyCpuMs);
    });
  }
  const pick = (times: number[][], keep: (s: Statement) => boolean): number[] =>
    times.filter((_, i) => keep(statements[i] as Statement)).flat();
  const corpora = [...new Set(statements.map((s) => s.corpus))];
  const byCorpus = corpora.map((corpus) => ({
    corpus,
    statements: statements.filter((s) => s.corpus === corpus).length,
    guard: summarize(pick(guardTimes, (s) => s.corpus === corpus)),
    astify: summarize(pick(astifyTimes, (s) => s.corpus === corpus)),
  }));
  const perStatement = statements.map((s, i) => ({
    sql: s.sql.slice(0, 100),
    guardP50: summarize(guardTimes[i] ?? []).p50,
    astifyP50: summarize(astifyTimes[i] ?? []).p50,
  }));
  const medians = { guard: summarize(perStatement.map((s) => s.guardP50)), astify: summarize(perStatement.map((s) => s.astifyP50)) };
  const slowest = [...perStatement].sort((a, b) => b.guardP50 - a.guardP50).slice(0, 3);
  const g = summarize(guardTimes.flat());
  const a = summarize(astifyTimes.flat());
  return {
    statements: statements.length,
    accepted,
    refused: statements.length - accepted,
    samples: g.count,
    guard: g,
    astify: a,
    cpu: { guard: summarize(guardCpu), astify: summarize(astifyCpu) },
    astifyFailures,
    ratioP50: g.p50 / a.p50,
    ratioP99: g.p99 / a.p99,
    byCorpus,
    medians,
    slowest,
  };
}
