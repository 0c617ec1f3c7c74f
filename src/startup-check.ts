import type { Config } from './config.ts';
import type { Db, PrivilegeReport } from './db/types.ts';
import { StartupError } from './errors.ts';
import type { Logger } from './logger.ts';

/** The T-SQL an operator runs to give the connector a login that can only read. */
export function readerLoginAdvice(database: string): string {
  return [
    'Create a read-only login for the connector, e.g.:',
    `  CREATE LOGIN mcp_reader WITH PASSWORD = '<a strong password>';`,
    `  USE [${database.replace(/]/g, ']]')}];`,
    '  CREATE USER mcp_reader FOR LOGIN mcp_reader;',
    '  ALTER ROLE db_datareader ADD MEMBER mcp_reader;',
    'then set MSSQL_USER/MSSQL_PASSWORD to it, or set ALLOW_WRITABLE_LOGIN=true to accept the risk.',
  ].join('\n');
}

/**
 * Refuses a login that can write (defence in depth behind the guard and the rolled-back
 * transactions) unless the operator opted in. The database may still be starting (compose brings
 * both up together), so the check is retried with backoff for `waitMs`; a check that never runs
 * stops startup, since an unverified login is treated as writable.
 */
export async function checkLogin(db: Db, config: Config, logger: Logger, waitMs = 30_000): Promise<PrivilegeReport> {
  const deadline = Date.now() + waitMs;
  let report: PrivilegeReport | undefined;
  for (let delay = 500; report === undefined; delay = Math.min(delay * 2, 5_000)) {
    try {
      report = await db.checkPrivileges();
    } catch (error) {
      if (Date.now() + delay > deadline) {
        throw new StartupError('STARTUP_FAILED', `Cannot reach SQL Server at ${config.mssql.host}:${config.mssql.port} to check the login's privileges.`, { cause: error });
      }
      logger.warn('database_not_ready', { host: config.mssql.host, port: config.mssql.port, retry_in_ms: delay, error });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  if (report.canWrite && !config.mssql.allowWritableLogin) {
    throw new StartupError(
      'WRITABLE_LOGIN',
      `The login ${report.login || config.mssql.user} can write (${report.findings.join('; ')}). Refusing to start.\n${readerLoginAdvice(config.mssql.database)}`,
    );
  }
  if (report.canWrite) logger.warn('writable_login_allowed', { login: report.login, findings: report.findings });
  return report;
}
