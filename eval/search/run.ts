/**
 * `npm run eval:search`: the graded search evaluation of issue 8. Starts the sandbox (or uses the
 * SQL Server named by MSSQL_TEST_HOST), resolves every query's gold SQL to ids, runs each query
 * through the connector's research layer and through a BM25 baseline (SQLite FTS5 over the same
 * rows, built in this run and told each query's kind), and prints nDCG@10, recall@10, P@5, MRR
 * and latency per kind, the ratio connector / BM25 and the issue's goals as met or missed.
 * Printed, not asserted.
 *
 * Options: `--queries <file.jsonl>` (another query set, e.g. the held-out one; `dev` is the
 * development set eval/search/dev-queries.jsonl that search is tuned on), `--kind <kind>`
 * (only schema, text or entity queries; repeatable; a quicker loop while tuning), `--json` (the
 * summary as one JSON line on stdout, the tables on stderr), `--verbose` (every query's scores
 * and top ids on stderr). The summary is also written to `bench/results/search-eval.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startTestDatabase } from '../../tests/helpers/database.ts';
import { buildBm25Index } from './bm25.ts';
import { createConnector } from './connector.ts';
import { judge } from './gold.ts';
import { DEFAULT_QUERIES, DEV_QUERIES, KINDS, loadQuerySet } from './query-set.ts';
import { formatGoals, formatReport, goals, score, summarise, type Scored } from './report.ts';

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string' },
    kind: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
  },
});
const unknownKind = args.kind?.find((k) => !(KINDS as readonly string[]).includes(k));
if (unknownKind !== undefined) {
  process.stderr.write(`--kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(unknownKind)}\n`);
  process.exit(2);
}
const queryFile = args.queries === 'dev' ? DEV_QUERIES : (args.queries ?? DEFAULT_QUERIES);
const queries = loadQuerySet(queryFile).filter((q) => args.kind === undefined || args.kind.includes(q.kind));
const log = (text: string): void => void process.stderr.write(`${text}\n`);
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;

log(`search eval: ${queries.length} queries; starting the database…`);
const database = await startTestDatabase();
const connector = createConnector(database);
try {
  const catalog = await connector.db.catalog();
  const judgements = new Map<string, Map<string, number>>();
  for (const q of queries) judgements.set(q.id, await judge(connector.db, q.gold));
  log(`gold sets resolved (${elapsed()}); building the BM25 index…`);
  const bm25 = await buildBm25Index(connector.db, catalog);
  log(`BM25 index: ${bm25.documents.rows} rows, ${bm25.documents.tables} tables (${elapsed()}); searching…`);

  await connector.search('list tables'); // warm the pool and the catalog cache, as a running server is
  const connectorScores: Scored[] = [];
  const bm25Scores: Scored[] = [];
  const perQuery: unknown[] = [];
  for (const q of queries) {
    const judgement = judgements.get(q.id) ?? new Map<string, number>();
    const c = await connector.search(q.query);
    const b = bm25.search(q.query, q.kind === 'schema' ? 'tables' : 'rows', 10);
    const cs = score(q.kind, q.paraphrase === true, c.ids, judgement, c.ms);
    const bs = score(q.kind, q.paraphrase === true, b.ids, judgement, b.ms);
    connectorScores.push(cs);
    bm25Scores.push(bs);
    perQuery.push({
      id: q.id,
      kind: q.kind,
      paraphrase: q.paraphrase === true,
      query: q.query,
      relevant: judgement.size,
      connector: { ...cs, error: c.error, truncated: c.truncated, top: c.ids.slice(0, 10) },
      bm25: { ...bs, top: b.ids },
    });
    if (args.verbose) {
      log(
        `${q.id.padEnd(32)} nDCG connector ${cs.ndcg10.toFixed(2)} bm25 ${bs.ndcg10.toFixed(2)}  ${c.ms.toFixed(0)} ms${c.error ? ` ${c.error}` : ''}`,
      );
      log(
        `    connector: ${c.ids
          .slice(0, 5)
          .map((id) => `${judgement.get(id) ?? 0}:${id}`)
          .join('  ')}`,
      );
      log(
        `    bm25:      ${b.ids
          .slice(0, 5)
          .map((id) => `${judgement.get(id) ?? 0}:${id}`)
          .join('  ')}`,
      );
    }
  }
  bm25.close();

  const summary = { connector: summarise(connectorScores), bm25: summarise(bm25Scores) };
  const goalList = goals(summary.connector, summary.bm25);
  const load = loadavg().map((l) => Number(l.toFixed(1)));
  const result = {
    at: new Date().toISOString(),
    database: database.kind,
    cpus: availableParallelism(),
    loadAverage: load,
    queries: queries.length,
    bm25Documents: bm25.documents,
    durationS: (performance.now() - started) / 1000,
    ...summary,
    goals: goalList,
    perQuery,
  };
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('search-eval.json', dir), `${JSON.stringify(result, null, 2)}\n`);
  const report = [
    `\nSearch evaluation — ${queries.length} queries on ${database.kind === 'sandbox' ? 'the sandbox' : 'SQL Server'}, ${elapsed()} (${availableParallelism()} CPUs, load average ${load.join(' ')}: latency depends on it)\n`,
    formatReport(summary.connector, summary.bm25),
    `\nGoals (issue 8):\n${formatGoals(goalList)}\n`,
    'R@10 is recall capped at min(10, relevant); ratio = connector nDCG@10 / BM25 nDCG@10. Details: bench/results/search-eval.json\n\n',
  ].join('\n');
  // With --json the summary is the only thing on stdout; the tables still reach the terminal.
  if (args.json) {
    log(report);
    process.stdout.write(`${JSON.stringify({ ...result, perQuery: undefined })}\n`);
  } else {
    process.stdout.write(report);
  }
} finally {
  await connector.close();
  await database.close();
}
