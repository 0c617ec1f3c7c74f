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
