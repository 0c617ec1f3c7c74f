import { TsqlError } from '../errors.ts';
import { quoteLiteral, type TranslateContext } from './context.ts';

/** What `@@VERSION` says: the sandbox, never SQL Server. */
export const SANDBOX_VERSION =
  'T-SQL sandbox (mssql-deep-research) 16.0 - PostgreSQL on PGlite; a test double speaking TDS, not Microsoft SQL Server';

/** The product version SERVERPROPERTY('ProductVersion') reports (SQL Server 2022's major version, so drivers pick modern features). */
export const PRODUCT_VERSION = '16.0.1000.6';

/** `@@NAME` values, computed from the session when the statement is translated. */
export function globalVariable(ctx: TranslateContext, name: string): string {
  switch (name) {
    case '@@version':
      return quoteLiteral(SANDBOX_VERSION);
    case '@@spid':
      return `CAST(${ctx.spid} AS smallint)`;
    case '@@trancount':
      return String(ctx.trancount);
    case '@@rowcount':
      return String(ctx.rowcount);
    case '@@error':
      return String(ctx.lastError);
    case '@@servername':
      return quoteLiteral('SANDBOX');
    case '@@servicename':
      return quoteLiteral('MSSQLSERVER');
    case '@@language':
      return quoteLiteral('us_english');
    case '@@langid':
      return '0';
    case '@@datefirst':
      return 'CAST(7 AS smallint)';
    case '@@lock_timeout':
      return String(ctx.lockTimeout);
    case '@@max_precision':
      return 'CAST(38 AS smallint)';
    case '@@textsize':
      return '2147483647';
    case '@@options':
      return '5496';
    case '@@nestlevel':
      return '0';
    case '@@identity':
      return 'tsql.last_identity()';
    case '@@fetch_status':
      return '-1';
    case '@@microsoftversion':
      return '268436456';
    default:
      throw new TsqlError(137, `Must declare the scalar variable "${name}".`, { severity: 15, state: 2 });
  }
}
