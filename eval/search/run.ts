/**
 * `npm run eval:search`: the graded search evaluation of issue 8. Starts the sandbox (or uses the
 * SQL Server named by MSSQL_TEST_HOST), resolves every query's gold SQL to ids, runs each query
 * through the connector's research layer and through a BM25 baseline (SQLite FTS5 over the same
 * rows, built in this run), and prints nDCG@10, recall@10, P@5, MRR and latency per kind, the
 * ratio connector / BM25 and the issue's goals as met or missed. Printed, not asserted.
 *
 * Options: `--queries <file.jsonl>` (another query set, e.g. the held-out one), `--json` (the
 * summary as JSON on stdout instead of the tables), `--verbose` (every query's scores and top
 * ids on stderr). The summary is also written to `bench/results/search-eval.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startTestDatabase } from '../../tests/helpers/database.ts';
import { buildBm25Index } from './bm25.ts';
import { createConnector } from './connector.ts';
import { judge } from './gold.ts';
import { DEFAULT_QUERIES, loadQuerySet } from './query-set.ts';
import { formatGoals, formatReport, goals, score, summarise, type Scored } from './report.ts';

const { values: args } = parseArgs({ options: { queries: { type: 'string' }, json: { type: 'boolean' }, verbose: { type: 'boolean' } } });
const queries = loadQuerySet(args.queries ?? DEFAULT_QUERIES);
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
  log(`BM25 index: ${bm25.documents} documents (${elapsed()}); searching…`);

  await connector.search('list tables'); // warm the pool and the catalog cache, as a running server is
  const connectorScores: Scored[] = [];
  const bm25Scores: Scored[] = [];
  const perQuery: unknown[] = [];
  for (const q of queries) {
    const judgement = judgements.get(q.id) ?? new Map<string, number>();
    const c = await connector.search(q.query);
    const b = bm25.search(q.query, 10);
    const cs = score(q.kind, q.paraphrase === true, c.ids, judgement, c.ms);
    const bs = score(q.kind, q.paraphrase === true, b.ids, judgement, b.ms);
    connectorScores.push(cs);
    bm25Scores.push(bs);
    perQuery.push({ id: q.id, kind: q.kind, paraphrase: q.paraphrase === true, query: q.query, relevant: judgement.size, connector: { ...cs, error: c.error, truncated: c.truncated, top: c.ids.slice(0, 10) }, bm25: { ...bs, top: b.ids } });
    if (args.verbose) {
      log(`${q.id.padEnd(32)} nDCG connector ${cs.ndcg10.toFixed(2)} bm25 ${bs.ndcg10.toFixed(2)}  ${c.ms.toFixed(0)} ms${c.error ? ` ${c.error}` : ''}`);
      log(`    connector: ${c.ids.slice(0, 5).map((id) => `${judgement.get(id) ?? 0}:${id}`).join('  ')}`);
      log(`    bm25:      ${b.ids.slice(0, 5).map((id) => `${judgement.get(id) ?? 0}:${id}`).join('  ')}`);
    }
  }
  bm25.close();

  const summary = { connector: summarise(connectorScores), bm25: summarise(bm25Scores) };
  const goalList = goals(summary.connector, summary.bm25);
  const result = { at: new Date().toISOString(), database: database.kind, queries: queries.length, bm25Documents: bm25.documents, durationS: (performance.now() - started) / 1000, ...summary, goals: goalList, perQuery };
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('search-eval.json', dir), `${JSON.stringify(result, null, 2)}\n`);
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...result, perQuery: undefined })}\n`);
  } else {
    process.stdout.write(`\nSearch evaluation — ${queries.length} queries on ${database.kind === 'sandbox' ? 'the sandbox' : 'SQL Server'}, ${elapsed()}\n\n`);
    process.stdout.write(`${formatReport(summary.connector, summary.bm25)}\n\nGoals (issue 8):\n${formatGoals(goalList)}\n\n`);
    process.stdout.write('R@10 is recall capped at min(10, relevant); ratio = connector nDCG@10 / BM25 nDCG@10. Details: bench/results/search-eval.json\n');
  }
} finally {
  await connector.close();
  await database.close();
}
