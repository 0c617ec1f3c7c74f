/**
 * The sample database's row-level security example, T-SQL valid on SQL Server 2016+ (and Azure
 * SQL), each batch alone as CREATE FUNCTION must be: a sales rep who signed in through the
 * connector (MSSQL_SESSION_CONTEXT=true puts their verified e-mail in SESSION_CONTEXT) sees only
 * the orders they took; a session without `mcp.email` — the loader, other applications, the
 * connector with the feature off or an API-key caller — is not filtered, so everything else
 * (tests, evaluation, the demo) sees the whole table. On SQL Server db_owner is not exempt from a
 * security policy; this predicate exempts sessions without the key instead.
 */
export const ORDERS_POLICY = {
  schema: 'sales',
  function: 'fn_OrderVisibleToCaller',
  policy: 'OrdersForCaller',
  table: 'Orders',
  column: 'SalesRepID',
} as const;

export const SECURITY_POLICY_BATCHES: readonly string[] = [
  `CREATE FUNCTION [sales].[fn_OrderVisibleToCaller](@SalesRepID int)
RETURNS TABLE
WITH SCHEMABINDING
AS RETURN
    SELECT 1 AS visible
    WHERE SESSION_CONTEXT(N'mcp.email') IS NULL
       OR EXISTS (SELECT 1 FROM [hr].[Employees] AS e
                  WHERE e.EmployeeID = @SalesRepID
                    AND e.Email = CAST(SESSION_CONTEXT(N'mcp.email') AS varchar(120)))`,
  `CREATE SECURITY POLICY [sales].[OrdersForCaller]
    ADD FILTER PREDICATE [sales].[fn_OrderVisibleToCaller]([SalesRepID]) ON [sales].[Orders]
    WITH (STATE = ON)`,
];
