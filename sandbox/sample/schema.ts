import type { TableDef, ViewDef } from './model.ts';
import { departments, employees, salaryHistory } from './schema-hr.ts';
import { deliveries, jobRuns, legacyFlags, legacyImport, products, suppliers, supportTickets } from './schema-dbo.ts';
import { customers, orderLines, orders, payments, productReviews, refunds } from './schema-sales.ts';

/**
 * The full-text catalog of the sample. Only some text tables are full-text indexed (products and
 * reviews, not support tickets), so a client's full-text path and its fallback both get exercised.
 */
export const FULLTEXT_CATALOG = 'RetailCatalog';

/** Schemas to create (`dbo` always exists). */
export const SCHEMAS = ['sales', 'hr'] as const;

/** Every table, in an order where each foreign key points at a table created earlier. */
export const TABLES: readonly TableDef[] = [
  departments,
  employees,
  salaryHistory,
  suppliers,
  products,
  customers,
  orders,
  orderLines,
  payments,
  deliveries,
  productReviews,
  supportTickets,
  refunds,
  jobRuns,
  legacyImport,
  legacyFlags,
];

/** Views a reporting team would keep; plain SELECTs, portable to the sandbox's translation. */
export const VIEWS: readonly ViewDef[] = [
  {
    schema: 'sales',
    name: 'vw_CustomerOrderSummary',
    description: 'One row per customer with order count, lifetime revenue and last order date.',
    select:
      'SELECT c.CustomerID, c.Name, c.City, c.Country, COUNT(o.OrderID) AS OrderCount, ' +
      'COALESCE(SUM(o.Total), 0) AS Revenue, MAX(o.OrderDate) AS LastOrderDate\n' +
      'FROM sales.Customers AS c\nLEFT JOIN sales.Orders AS o ON o.CustomerID = c.CustomerID\n' +
      'GROUP BY c.CustomerID, c.Name, c.City, c.Country',
  },
  {
    schema: 'dbo',
    name: 'vw_OpenTickets',
    description: 'Support tickets not closed yet, with the customer name, newest first when sorted by OpenedAt.',
    select:
      'SELECT t.TicketID, t.Subject, t.Category, t.Priority, t.Status, t.OpenedAt, c.CustomerID, c.Name AS CustomerName\n' +
      'FROM dbo.SupportTickets AS t\nJOIN sales.Customers AS c ON c.CustomerID = t.CustomerID\nWHERE t.ClosedAt IS NULL',
  },
  {
    schema: 'dbo',
    name: 'vw_ProductRatings',
    description: 'Average review rating and review count per product.',
    select:
      'SELECT p.ProductID, p.Name, p.Category, COUNT(r.ReviewID) AS ReviewCount, AVG(CAST(r.Rating AS decimal(4,2))) AS AvgRating\n' +
      'FROM dbo.Products AS p\nLEFT JOIN sales.ProductReviews AS r ON r.ProductID = p.ProductID\n' +
      'GROUP BY p.ProductID, p.Name, p.Category',
  },
  {
    schema: 'hr',
    name: 'vw_EmployeeDirectory',
    description: 'Active employees with their department and manager names.',
    select:
      "SELECT e.EmployeeID, e.FirstName, e.LastName, e.JobTitle, d.Name AS Department, m.FirstName + ' ' + m.LastName AS ManagerName\n" +
      'FROM hr.Employees AS e\nJOIN hr.Departments AS d ON d.DepartmentID = e.DepartmentID\n' +
      'LEFT JOIN hr.Employees AS m ON m.EmployeeID = e.ManagerID\nWHERE e.IsActive = 1',
  },
];
