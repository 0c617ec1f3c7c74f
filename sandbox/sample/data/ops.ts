import type { Random } from '../prng.ts';
import type { Row } from '../tsql.ts';
import { DAY, HOUR, isoDateTime, utc } from './dates.ts';

const JOBS = [
  { id: 101, name: 'Nightly sales export', hour: 2, rows: [15_000, 40_000] },
  { id: 102, name: 'Catalogue price sync', hour: 4, rows: [200, 1_200] },
  { id: 103, name: 'Customer data clean-up', hour: 3, rows: [0, 300] },
  { id: 104, name: 'Carrier tracking import', hour: 6, rows: [800, 4_000] },
  { id: 105, name: 'Index maintenance', hour: 1, rows: [0, 0] },
  { id: 106, name: 'Weekly finance reconciliation', hour: 5, rows: [20_000, 90_000] },
];
const RUNNERS = ['SQLAgent', 'svc_etl', 'svc_etl', 'RETAIL\\dba_martin', 'SQLAgent'];

/** Back-office job executions over the last months of the history. */
export function generateJobRuns(random: Random, days: number): Row[] {
  const rows: Row[] = [];
  const start = utc(2025, 12, 31) - days * DAY;
  for (let d = 0; d < days; d++) {
    for (const job of JOBS) {
      if (job.id === 106 && d % 7 !== 0) continue;
      const failed = random.chance(0.04);
      rows.push({
        JobRunID: 1_000_000 + rows.length + 1,
        JobID: job.id,
        JobName: job.name,
        ExecutedAt: isoDateTime(start + d * DAY + job.hour * HOUR + random.int(0, 300) * 1000),
        DurationMs: failed ? random.int(100, 5_000) : random.int(2_000, 900_000),
        RowsProcessed: failed ? 0 : random.int(job.rows[0] ?? 0, job.rows[1] ?? 0),
        Succeeded: !failed,
        CreatedBy: random.pick(RUNNERS),
      });
    }
  }
  return rows;
}

/** Rows kept from the previous shop system, with its awkward column names. */
export function generateLegacyImport(random: Random, count: number): Row[] {
  const rows: Row[] = [];
  for (let id = 1; id <= count; id++) {
    const drop = `DROP-${2019 + (id % 3)}-${String(1 + (id % 12)).padStart(2, '0')}`;
    rows.push({
      ImportID: id,
      Drop: drop,
      'Insert Date': isoDateTime(utc(2021, 1 + (id % 12), 1 + (id % 28), random.int(0, 23), random.int(0, 59))),
      Update: random.pick([
        'migrated',
        'migrated with warnings',
        'skipped: duplicate customer',
        'price corrected',
        'address normalised',
        'pending review',
      ]),
      SourceFile: `\\\\fileserver\\exports\\oldshop\\${drop.toLowerCase()}.csv`,
      Payload: random.chance(0.3) ? null : `{"legacyId":${50_000 + id},"status":"${random.pick(['A', 'I', 'X'])}"}`,
    });
  }
  return rows;
}

/** Feature flags of the previous system. */
export function generateLegacyFlags(random: Random, count: number): Row[] {
  const rows: Row[] = [];
  for (let id = 1; id <= count; id++) {
    rows.push({
      FlagID: id,
      Delete: random.chance(0.25),
      Exec: random.pick(['usp_ArchiveOrders', 'usp_PurgeCarts', 'usp_RebuildSearch', 'usp_SendReminders', 'usp_RecalcStock']),
      Note: random.chance(0.5)
        ? null
        : random.pick(['kept for audit', 'do not re-enable', 'replaced by job 103', 'owner left the company']),
    });
  }
  return rows;
}
