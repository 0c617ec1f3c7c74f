import { runSimple } from './pg.ts';
import { mapPgError } from './pg-errors.ts';
import type { Runtime } from './runtime.ts';
import type { TranslateContext } from './translate/context.ts';
import { tableRefs, usesFullText, type FullTextIndex } from './translate/fulltext-scope.ts';
import type { Node } from './translate/tree.ts';

/**
 * Before a statement that calls CONTAINS/FREETEXT/CONTAINSTABLE/FREETEXTTABLE is translated, reads
 * the full-text indexes (a small side-catalog query) and the statement's tables into the context,
 * since translation itself is synchronous. Other statements pay nothing.
 */
export async function loadFullText(rt: Pick<Runtime, 'pg' | 'state'>, ctx: TranslateContext, nodes: readonly Node[]): Promise<void> {
  if (!usesFullText(nodes)) return;
  const reply = await runSimple(
    rt.pg,
    'SELECT schema_name, table_name, key_column, array_to_json(columns)::text, side_table FROM tsql_meta.fulltext_info',
  );
  if (reply.error) throw mapPgError(reply.error, { verb: 'SELECT', database: rt.state.database, spell: (n) => n });
  const indexes: FullTextIndex[] = (reply.results[0]?.rows ?? []).map(([schema, table, key, columns, side]) => ({
    schema: schema ?? '',
    table: table ?? '',
    key: key ?? '',
    columns: JSON.parse(columns ?? '[]') as string[],
    side: side ?? '',
  }));
  ctx.fullText = { indexes, refs: tableRefs(nodes) };
}
