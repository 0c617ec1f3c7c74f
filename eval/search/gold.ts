import type { Db } from '../../src/db/types.ts';
import { rowId, tableId } from '../../src/research/ids.ts';
import type { Judgement } from './metrics.ts';
import type { GoldSet } from './query-set.ts';

/** Rows a gold SQL may select; more means the set is too broad to be a judgement. */
export const MAX_GOLD_ROWS = 5_000;

/** The ids one gold set selects, in the connector's id format. */
export async function goldIds(db: Db, gold: GoldSet): Promise<string[]> {
  const result = await db.query(gold.sql, [], { maxRows: MAX_GOLD_ROWS + 1, timeoutMs: 60_000 });
  if (gold.table === undefined) {
    return result.rows.map((row) => tableId(String(row[0]), String(row[1])));
  }
  const [schema = '', name = ''] = gold.table.split('.');
  return result.rows.map((row) => rowId(schema, name, row));
}

/** A query's judgement: every id its gold sets select, at the highest grade that selects it. */
export async function judge(db: Db, gold: readonly GoldSet[]): Promise<Map<string, number>> {
  const judgement = new Map<string, number>();
  for (const set of gold) {
    for (const id of await goldIds(db, set)) judgement.set(id, Math.max(judgement.get(id) ?? 0, set.grade));
  }
  return judgement satisfies Judgement;
}
