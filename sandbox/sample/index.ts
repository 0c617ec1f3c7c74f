import { createRandom } from './prng.ts';
import { FULLTEXT_CATALOG, SCHEMAS, TABLES, VIEWS } from './schema.ts';
import {
  createFullTextCatalogSql,
  createFullTextIndexSql,
  createIndexSql,
  createSchemaSql,
  createTableSql,
  createViewSql,
  describeTableSql,
  describeViewSql,
} from './ddl.ts';
import { insertBatches, nstring, quoteName } from './tsql.ts';
import type { Row } from './tsql.ts';
import type { TableDef } from './model.ts';
import { departmentRows, generateCustomers, generateEmployees, generateSuppliers } from './data/people.ts';
import { generateProducts } from './data/catalog.ts';
import { generateOrders, orderLineRows } from './data/orders.ts';
import { generateDeliveries, generatePayments } from './data/fulfilment.ts';
import { generateReviews, generateTickets } from './data/feedback.ts';
import { SECURITY_POLICY_BATCHES } from './security-policy.ts';
import { generateJobRuns, generateLegacyFlags, generateLegacyImport } from './data/ops.ts';

export { FULLTEXT_CATALOG, SCHEMAS, TABLES, VIEWS } from './schema.ts';
export { MAX_ROWS_PER_INSERT } from './tsql.ts';
export { ORDERS_POLICY, SECURITY_POLICY_BATCHES } from './security-policy.ts';
export { RECALL_BATCH, RECALLED_PRODUCT, UNDERSCORE_PRODUCT } from './data/catalog.ts';
export type { ColumnDef, TableDef, ViewDef } from './model.ts';

export interface SampleOptions {
  /** PRNG seed; the same seed always yields the same batches. Default 20240229. */
  seed?: number;
  /** Database name the setup statements use; the batches themselves are database-agnostic. Default RetailDB. */
  database?: string;
  /** Rows in sales.OrderLines, the large table. Default 200 000 × scale. */
  largeRows?: number;
  /**
   * Multiplier (0 < scale ≤ 1) for customers, orders, reviews and tickets, so tests can build a
   * small database quickly. Products, suppliers and employees keep their size. Default 1.
   */
  scale?: number;
  /** Rows per INSERT statement, at most 1000 (SQL Server's limit). Default 1000. */
  rowsPerInsert?: number;
  /**
   * Emit the full-text catalog and indexes (last, after the data). Default true; false for a
   * SQL Server without Full-Text Search installed (the official Linux image lacks it).
   */
  fullText?: boolean;
}

/** The default seed: the sample database everyone talks about is the one from this seed. */
export const DEFAULT_SEED = 20240229;
export const DEFAULT_DATABASE = 'RetailDB';

/** Row counts of a full-size database (scale 1); the order-derived tables vary with the seed. */
export const FULL_SIZE = {
  customers: 2000,
  products: 300,
  suppliers: 40,
  employees: 150,
  orders: 20_000,
  orderLines: 200_000,
  reviews: 5000,
  tickets: 3000,
} as const;

/**
 * The sample `RetailDB` as T-SQL batches, in execution order: CREATE SCHEMA, CREATE TABLE with named
 * keys, indexes, views, `MS_Description` properties, multi-row INSERTs in foreign-key order, then
 * the full-text catalog and indexes (so SQL Server populates them once, from the loaded rows).
 * Every batch is one string with no `GO`, valid on SQL Server 2022 and executed by the sandbox's
 * translation. Generated lazily, so the 200 000-row table never sits in memory as SQL text.
 */
export function* generateSampleDatabase(options: SampleOptions = {}): Generator<string> {
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = Math.min(1, Math.max(0.001, options.scale ?? 1));
  const n = (full: number) => Math.max(1, Math.round(full * scale));
  const largeRows = options.largeRows ?? n(FULL_SIZE.orderLines);
  const perInsert = options.rowsPerInsert;

  for (const schema of SCHEMAS) yield createSchemaSql(schema);
  for (const table of TABLES) yield createTableSql(table);
  for (const table of TABLES) yield* createIndexSql(table);
  for (const view of VIEWS) yield createViewSql(view);
  for (const table of TABLES) yield describeTableSql(table);
  for (const view of VIEWS) yield describeViewSql(view);

  const random = createRandom(seed);
  const table = (schema: string, name: string): TableDef => {
    const found = TABLES.find((t) => t.schema === schema && t.name === name);
    if (found === undefined) throw new Error(`unknown table ${schema}.${name}`);
    return found;
  };
  const insert = (schema: string, name: string, rows: Iterable<Row>) => insertBatches(table(schema, name), rows, perInsert);

  const staff = generateEmployees(random.fork('employees'));
  yield* insert('hr', 'Departments', departmentRows());
  yield* insert('hr', 'Employees', staff.rows);
  yield* insert('hr', 'SalaryHistory', staff.salaries);
  yield* insert('dbo', 'Suppliers', generateSuppliers(random.fork('suppliers'), FULL_SIZE.suppliers));
  const catalog = generateProducts(random.fork('products'), FULL_SIZE.products);
  yield* insert('dbo', 'Products', catalog.rows);
  const people = generateCustomers(random.fork('customers'), n(FULL_SIZE.customers));
  yield* insert('sales', 'Customers', people.rows);

  const inDepartment = (id: number) => staff.employees.filter((e) => e.departmentId === id);
  const reps = [...inDepartment(2), ...inDepartment(10)];
  const sales = generateOrders(random.fork('orders'), n(FULL_SIZE.orders), largeRows, people.customers, catalog.products, reps);
  yield* insert('sales', 'Orders', sales.rows);
  yield* insert('sales', 'OrderLines', orderLineRows(sales.lines));
  const payments = generatePayments(random.fork('payments'), sales.orders, people.customers);
  yield* insert('sales', 'Payments', payments.rows);
  yield* insert('dbo', 'Deliveries', generateDeliveries(random.fork('deliveries'), sales.orders));
  yield* insert(
    'sales',
    'ProductReviews',
    generateReviews(random.fork('reviews'), n(FULL_SIZE.reviews), catalog.products, people.customers),
  );
  const support = generateTickets(random.fork('tickets'), n(FULL_SIZE.tickets), {
    customers: people.customers,
    orders: sales.orders,
    lines: sales.lines,
    products: catalog.products,
    agents: inDepartment(3),
    doubleCharged: payments.doubleCharged,
    approvers: [...inDepartment(3).slice(0, 3), ...inDepartment(5)],
  });
  yield* insert('dbo', 'SupportTickets', support.tickets);
  yield* insert('sales', 'Refunds', support.refunds);
  yield* insert('dbo', 'JobRuns', generateJobRuns(random.fork('jobs'), 90));
  yield* insert('dbo', 'LegacyImport', generateLegacyImport(random.fork('legacy'), 250));
  yield* insert('dbo', 'LegacyFlags', generateLegacyFlags(random.fork('flags'), 40));
  // Row-level security over SESSION_CONTEXT (issue 13): after the data, filtering only callers with mcp.email.
  yield* SECURITY_POLICY_BATCHES;

  if (options.fullText === false) return;
  yield createFullTextCatalogSql(FULLTEXT_CATALOG);
  for (const t of TABLES) {
    const ddl = createFullTextIndexSql(t, FULLTEXT_CATALOG);
    if (ddl !== undefined) yield ddl;
  }
}

export interface SqlServerSetupOptions {
  database: string;
  readerUser: string;
  readerPassword: string;
}

/**
 * Statements that prepare a real SQL Server for the sample, run as a sysadmin (sa) on `master`
 * before the sample batches: create the database, and a least-privilege reader login (created, or
 * its password reset, so reloading is idempotent) mapped to a user in `db_datareader` — the account
 * the connector is meant to use. `server` runs on `master`; `database` runs inside the new
 * database (connect to it, or `USE` it first), as `scripts/load-sqlserver.ts` does.
 */
export function sqlServerSetup(options: SqlServerSetupOptions): { server: string[]; database: string[] } {
  const db = quoteName(options.database);
  const login = `[${options.readerUser.replaceAll(']', ']]')}]`;
  const password = nstring(options.readerPassword);
  return {
    server: [
      `CREATE DATABASE ${db};`,
      `IF SUSER_ID(${nstring(options.readerUser)}) IS NULL CREATE LOGIN ${login} WITH PASSWORD = ${password}, CHECK_POLICY = OFF, DEFAULT_DATABASE = ${db}` +
        ` ELSE ALTER LOGIN ${login} WITH PASSWORD = ${password}, DEFAULT_DATABASE = ${db};`,
    ],
    database: [`CREATE USER ${login} FOR LOGIN ${login};`, `ALTER ROLE db_datareader ADD MEMBER ${login};`],
  };
}
