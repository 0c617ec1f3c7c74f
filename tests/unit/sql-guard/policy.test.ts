import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuard } from '../../../src/sql-guard/index.ts';
import type { GuardPolicy } from '../../../src/sql-guard/types.ts';

const base: GuardPolicy = { maxLength: 10_000, rowCap: 50, denySchemas: [], denyTables: [] };

function refusedAs(policy: Partial<GuardPolicy>, sql: string): string {
  const v = createGuard({ ...base, ...policy }).check(sql);
  return v.ok ? 'accepted' : v.code;
}

describe('deny- and allow-lists', () => {
  test('a denied schema is refused in every position and spelling', () => {
    const policy = { denySchemas: ['HR'] };
    for (const sql of [
      'SELECT * FROM hr.Employees',
      'SELECT * FROM [hr].[Employees]',
      'SELECT * FROM "HR"."Employees"',
      'SELECT * FROM RetailDB.hr.Employees',
      'SELECT * FROM sales.Orders WHERE CustomerID IN (SELECT EmployeeID FROM hr.Employees)',
      'WITH e AS (SELECT * FROM hr.Employees) SELECT * FROM e',
      'SELECT * FROM sales.Orders o JOIN (sales.Customers c JOIN hr.Employees e ON 1 = 1) ON 1 = 1',
      'SELECT * FROM sales.Orders o CROSS APPLY hr.fnReports(o.OrderID) r',
      'SELECT CASE WHEN EXISTS (SELECT 1 FROM hr.Departments) THEN 1 END AS x',
      'SELECT ROW_NUMBER() OVER (ORDER BY (SELECT TOP 1 Salary FROM hr.Employees)) AS n',
    ]) {
      assert.equal(refusedAs(policy, sql), 'OBJECT_NOT_ALLOWED', sql);
    }
    assert.equal(refusedAs(policy, 'SELECT * FROM sales.Orders'), 'accepted');
    assert.equal(refusedAs(policy, "SELECT 'hr.Employees' AS just_text"), 'accepted');
  });

  test('a denied table is refused with or without its schema; a bare name denies it in every schema', () => {
    const policy = { denyTables: ['sales.Orders', 'Products'] };
    assert.equal(refusedAs(policy, 'SELECT * FROM sales.Orders'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT * FROM [Sales].[ORDERS]'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT * FROM Products'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT * FROM archive.Products'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT * FROM archive.Orders'), 'accepted');
    assert.equal(refusedAs(policy, 'SELECT * FROM sales.Customers'), 'accepted');
  });

  test('an allow-list admits only its tables; unqualified names resolve to dbo; CTE names are not tables', () => {
    const policy = { allowTables: ['sales.Customers', 'Products'] };
    assert.equal(refusedAs(policy, 'SELECT * FROM sales.Customers'), 'accepted');
    assert.equal(refusedAs(policy, 'SELECT * FROM Products'), 'accepted');
    assert.equal(refusedAs(policy, 'SELECT * FROM dbo.Products'), 'accepted');
    assert.equal(refusedAs(policy, 'SELECT * FROM sales.Orders'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT * FROM Customers'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT * FROM sys.tables'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'WITH Orders AS (SELECT * FROM sales.Customers) SELECT * FROM Orders'), 'accepted');
    // A CTE only names what comes after it: in an earlier CTE's body the same name is a table.
    assert.equal(refusedAs(policy, 'WITH a AS (SELECT * FROM Secrets), Secrets AS (SELECT 1 AS x) SELECT * FROM a'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, "SELECT * FROM CONTAINSTABLE(sales.Orders, Body, 'x') ft"), 'OBJECT_NOT_ALLOWED');
  });

  test('an allow-list governs what FROM reads; a dotted call elsewhere (a column method) only meets the deny-lists', () => {
    const policy = { allowTables: ['sales.Customers'], denySchemas: ['hr'] };
    assert.equal(refusedAs(policy, 'SELECT c.Location.STDistance(c.Location) AS d FROM sales.Customers c'), 'accepted');
    assert.equal(refusedAs(policy, 'SELECT * FROM dbo.fnCustomers(1)'), 'OBJECT_NOT_ALLOWED');
    assert.equal(refusedAs(policy, 'SELECT hr.fnSalary(c.CustomerID) FROM sales.Customers c'), 'OBJECT_NOT_ALLOWED');
  });

  test('the refusal names the table and tells the model how to find allowed ones', () => {
    const v = createGuard({ ...base, denySchemas: ['hr'] }).check('SELECT * FROM sales.Orders o JOIN hr.Employees e ON 1 = 1');
    assert.ok(!v.ok);
    assert.match(v.reason, /hr\.employees at line 1, column 35/);
    assert.match(v.hint ?? '', /list tables/);
  });

  test('an accepted verdict lists the tables read, lower case, without CTEs', () => {
    const v = createGuard(base).check('WITH x AS (SELECT * FROM Sales.Orders) SELECT * FROM x JOIN [dbo].[Products] p ON 1 = 1');
    assert.ok(v.ok);
    assert.deepEqual(v.tables.sort(), ['dbo.products', 'sales.orders']);
  });

  test('allowsTable applies the same configuration', () => {
    const guard = createGuard({
      ...base,
      denySchemas: ['hr'],
      denyTables: ['sales.Orders'],
      allowTables: ['sales.Customers', 'sales.Orders'],
    });
    assert.equal(guard.allowsTable('sales', 'Customers'), true);
    assert.equal(guard.allowsTable('SALES', 'customers'), true);
    assert.equal(guard.allowsTable('sales', 'Orders'), false);
    assert.equal(guard.allowsTable('hr', 'Employees'), false);
    assert.equal(guard.allowsTable('dbo', 'Products'), false);
    assert.equal(createGuard(base).allowsTable('dbo', 'Products'), true);
  });

  test('a malformed policy is rejected when the guard is created', () => {
    assert.throws(() => createGuard({ ...base, denyTables: ['a.b.c'] }), TypeError);
    assert.throws(() => createGuard({ ...base, denySchemas: [''] }), TypeError);
    assert.throws(() => createGuard({ ...base, allowTables: ['.x'] }), TypeError);
    assert.throws(() => createGuard({ ...base, rowCap: 0 }), TypeError);
    assert.throws(() => createGuard({ ...base, maxLength: 1.5 }), TypeError);
  });
});
