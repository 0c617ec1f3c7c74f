import type { Budget } from '../budget.ts';
import type { Db } from '../../db/types.ts';
import { isTableNamed } from '../identifiers.ts';
import type { SearchTable } from './pick-tables.ts';
import { related } from './retrieve-sql.ts';
import { runJobs, type Candidate, type Retrieved } from './retrieve.ts';

/**
 * Stage 3c: relationships. From an entity found by an exact lookup (a customer by name, an order by
 * number) follow foreign keys to the rows the query asks about — "orders of customer Jane Doe",
 * "tickets for order 6351", "reviews of product X": child tables a query word names, and the parent
 * a query word names ("the customer of order 6351"). Only tables among `tables` are reached, and
 * those passed the table policy already: a denied table never appears, even through a key.
 */
export function relatedJobs(entities: readonly Candidate[], tables: readonly SearchTable[], top: number) {
  const jobs: Array<{ table: SearchTable; via: 'related'; query: NonNullable<ReturnType<typeof related>> }> = [];
  const seen = new Set<string>();
  for (const e of entities) {
    const value = (column: string): unknown => e.row[e.columns.findIndex((c) => c.name.toLowerCase() === column.toLowerCase())];
    for (const child of tables) {
      if (child.headNamedBy.length === 0 || child === e.table) continue;
      for (const fk of child.table.foreignKeys) {
        if (!isTableNamed(e.table.table, fk.refSchema, fk.refTable)) continue;
        const q = related(child, fk.columns, fk.refColumns.map(value), top);
        const key = `${child.table.schema}.${child.table.name}:${fk.name}:${JSON.stringify(fk.refColumns.map(value))}`;
        if (q && !seen.has(key)) {
          seen.add(key);
          jobs.push({ table: child, via: 'related', query: q });
        }
      }
    }
    for (const fk of e.table.table.foreignKeys) {
      const parent = tables.find((t) => t.headNamedBy.length > 0 && isTableNamed(t.table, fk.refSchema, fk.refTable));
      if (!parent || parent === e.table) continue;
      const q = related(parent, fk.refColumns, fk.columns.map(value), 1);
      const key = `${parent.table.schema}.${parent.table.name}:${JSON.stringify(fk.columns.map(value))}`;
      if (q && !seen.has(key)) {
        seen.add(key);
        jobs.push({ table: parent, via: 'related', query: q });
      }
    }
  }
  return jobs;
}

/** The related rows of the entities, within the same budget. */
export async function followKeys(
  db: Db,
  entities: readonly Candidate[],
  tables: readonly SearchTable[],
  budget: Budget,
  concurrency: number,
  top: number,
): Promise<Retrieved> {
  const jobs = relatedJobs(entities, tables, top);
  if (jobs.length === 0 || budget.expired()) return { candidates: [], partial: jobs.length > 0 };
  return runJobs(db, jobs, budget, concurrency, top);
}
