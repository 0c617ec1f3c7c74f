import type { PGlite } from '@electric-sql/pglite';
import { runChecked } from '../pg.ts';
import { quoteLiteral } from '../translate/context.ts';
import { CATALOG_META_SQL } from './catalog-meta.ts';
import { FULLTEXT_SQL } from './fulltext.ts';
import { AGGREGATES_SQL, FUNCTIONS_SQL } from './functions.ts';
import { INFORMATION_SCHEMA_SQL } from './information-schema.ts';
import { PERMISSIONS_SQL } from './permissions.ts';
import { SECURITY_SQL } from './security.ts';
import { SYS_VIEWS_SQL } from './sys-views.ts';
import { SESSION_CONTEXT_FUNCTION_SQL } from '../session-context.ts';

/** Settings every engine connection to PGlite runs with (PGlite keeps one session). */
export const SESSION_SETUP_SQL = `SET search_path = tsql, pg_catalog, dbo; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET client_min_messages = 'warning'`;

/** Creates the T-SQL layer in an empty PGlite database: functions, side catalog, sys and INFORMATION_SCHEMA views, roles. */
export async function bootstrapDatabase(pg: PGlite, database: string): Promise<void> {
  await runChecked(pg, SESSION_SETUP_SQL);
  for (const sql of [
    FUNCTIONS_SQL,
    SESSION_CONTEXT_FUNCTION_SQL,
    AGGREGATES_SQL,
    CATALOG_META_SQL,
    SYS_VIEWS_SQL,
    SECURITY_SQL,
    FULLTEXT_SQL,
    PERMISSIONS_SQL,
    INFORMATION_SCHEMA_SQL,
  ])
    await runChecked(pg, sql);
  await runChecked(
    pg,
    `GRANT SELECT ON ALL TABLES IN SCHEMA tsql_meta, sys, information_schema TO PUBLIC;
    INSERT INTO tsql_meta.settings VALUES ('database', ${quoteLiteral(database)})`,
  );
}
