import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  FULL_SIZE,
  MAX_ROWS_PER_INSERT,
  RECALL_BATCH,
  RECALLED_PRODUCT,
  TABLES,
  generateSampleDatabase,
  sqlServerSetup,
} from '../../sandbox/sample/index.ts';
import { parseCreateTable, parseInsert } from './sample-parse.ts';
import type { Literal, ParsedInsert } from './sample-parse.ts';
import { corpusUrl } from '../helpers/corpus.ts';

const digest = (batches: Iterable<string>): string => {
  const hash = createHash('sha256');
  for (const batch of batches) hash.update(batch).update('\0');
  return hash.digest('hex');
};

/** The `| \`schema.Table\` | Col, Col (PK) |` rows of the corpus README: what the corpora rely on. */
function corpusSchema(): { table: string; columns: string[] }[] {
  const readme = readFileSync(corpusUrl('README.md'), 'utf8');
  return [...readme.matchAll(/^\| `([\w.]+)` \| (.+) \|$/gm)].map((m) => ({
    table: m[1] as string,
    columns: (m[2] as string).split(',').map((c) =>
      c
        .replace(/\(.*?\)/g, '')
        .replace(/[[\]]/g, '')
        .trim(),
    ),
  }));
}

describe('sample database generator', () => {
  const batches: string[] = [];
  const data = new Map<string, ParsedInsert>();
  const ddl = new Map<string, string[]>();
  const column = (table: string, name: string): Literal[] => {
    const parsed = data.get(table);
    assert.ok(parsed, `no rows for ${table}`);
    const index = parsed.columns.indexOf(name);
    assert.ok(index >= 0, `${table} has no column ${name}`);
    return parsed.rows.map((r) => r[index] ?? null);
  };

  before(() => {
    for (const batch of generateSampleDatabase()) {
      batches.push(batch);
      const insert = parseInsert(batch);
      if (insert !== null) {
        const seen = data.get(insert.table);
        if (seen === undefined) data.set(insert.table, insert);
        else seen.rows.push(...insert.rows);
      }
      const create = parseCreateTable(batch);
      if (create !== null) ddl.set(create.table, create.columns);
    }
  });

  test('the same seed yields identical batches and another seed different ones', () => {
    const a = digest(generateSampleDatabase({ seed: 7, scale: 0.05 }));
    const b = digest(generateSampleDatabase({ seed: 7, scale: 0.05 }));
    const c = digest(generateSampleDatabase({ seed: 8, scale: 0.05 }));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(digest(batches), digest(generateSampleDatabase()), 'the default database is reproducible');
  });

  test('every table and column the corpora use exists in the generated DDL', () => {
    const expected = corpusSchema();
    assert.ok(expected.length >= 12, 'the corpus README lists its tables');
    for (const { table, columns } of expected) {
      const actual = ddl.get(table);
      assert.ok(actual, `CREATE TABLE ${table}`);
      for (const name of columns) assert.ok(actual.includes(name), `${table}.${name}`);
    }
  });

  test('the tables use the SQL Server types clients must handle', () => {
    const types = new Set(
      batches.flatMap((b) => [...b.matchAll(/^\s+(?:\[[^\]]+\]|\w+) (\w+)(?:\([^)]*\))? (?:NOT )?NULL,?$/gm)].map((m) => m[1])),
    );
    for (const type of [
      'int',
      'bigint',
      'smallint',
      'tinyint',
      'bit',
      'decimal',
      'money',
      'float',
      'nvarchar',
      'varchar',
      'nchar',
      'char',
      'date',
      'time',
      'datetime',
      'datetime2',
      'datetimeoffset',
      'uniqueidentifier',
      'varbinary',
    ]) {
      assert.ok(types.has(type), type);
    }
  });

  test('no INSERT carries more than 1000 rows, and every row fills every column', () => {
    let inserts = 0;
    for (const batch of batches) {
      const insert = parseInsert(batch);
      if (insert === null) continue;
      inserts += 1;
      assert.ok(insert.rows.length >= 1 && insert.rows.length <= MAX_ROWS_PER_INSERT, `${insert.table}: ${insert.rows.length} rows`);
      for (const row of insert.rows) assert.equal(row.length, insert.columns.length);
    }
    assert.ok(inserts >= FULL_SIZE.orderLines / MAX_ROWS_PER_INSERT);
    const small = [...generateSampleDatabase({ scale: 0.02, rowsPerInsert: 50 })].map(parseInsert).filter((i) => i !== null);
    assert.ok(small.every((i) => i.rows.length <= 50));
  });

  test('batches are plain T-SQL: no GO separators, CREATE SCHEMA and CREATE VIEW alone in their batch', () => {
    for (const batch of batches) {
      assert.doesNotMatch(batch, /^\s*GO\s*$/im);
      if (/^CREATE (SCHEMA|VIEW)\b/.test(batch)) assert.equal(batch.match(/\bCREATE (SCHEMA|VIEW)\b/g)?.length, 1);
    }
  });

  test('row counts match the documented sizes and largeRows sizes the order lines exactly', () => {
    const expected: [string, number][] = [
      ['sales.Customers', FULL_SIZE.customers],
      ['dbo.Products', FULL_SIZE.products],
      ['sales.Orders', FULL_SIZE.orders],
      ['sales.OrderLines', FULL_SIZE.orderLines],
      ['sales.ProductReviews', FULL_SIZE.reviews],
      ['dbo.SupportTickets', FULL_SIZE.tickets],
      ['hr.Employees', FULL_SIZE.employees],
    ];
    for (const [table, rows] of expected) assert.equal(data.get(table)?.rows.length, rows, table);
    for (const table of TABLES)
      assert.ok((data.get(`${table.schema}.${table.name}`)?.rows.length ?? 0) > 0, `${table.schema}.${table.name} has rows`);
    const lines = [...generateSampleDatabase({ scale: 0.05, largeRows: 1234 })]
      .map(parseInsert)
      .filter((i) => i?.table === 'sales.OrderLines')
      .reduce((n, i) => n + (i?.rows.length ?? 0), 0);
    assert.equal(lines, 1234);
  });

  test('primary keys are unique and every foreign key value points at an existing row', () => {
    for (const table of TABLES) {
      const name = `${table.schema}.${table.name}`;
      const keys = column(name, table.primaryKey.columns[0] as string);
      assert.equal(new Set(keys).size, keys.length, `${name} primary key`);
      for (const fk of table.foreignKeys ?? []) {
        const parent = new Set(column(`${fk.references.schema}.${fk.references.table}`, fk.references.columns[0] as string));
        const dangling = column(name, fk.columns[0] as string).filter((v) => v !== null && !parent.has(v));
        assert.deepEqual(dangling.slice(0, 5), [], fk.name);
      }
    }
  });

  test('order totals equal the sum of their lines, and no order is empty', () => {
    const sums = new Map<Literal, number>();
    const lines = data.get('sales.OrderLines');
    assert.ok(lines);
    const [o, q, p] = ['OrderID', 'Quantity', 'UnitPrice'].map((c) => lines.columns.indexOf(c)) as [number, number, number];
    for (const row of lines.rows)
      sums.set(row[o] ?? null, (sums.get(row[o] ?? null) ?? 0) + Math.round(Number(row[p]) * 100) * Number(row[q]));
    const ids = column('sales.Orders', 'OrderID');
    const totals = column('sales.Orders', 'Total');
    ids.forEach((id, i) => assert.equal(Math.round(Number(totals[i]) * 100), sums.get(id) ?? 0, `order ${id}`));
    assert.deepEqual(
      totals.filter((t) => Number(t) <= 0),
      [],
      'a zero total breaks ratios such as Total / SUM(Total) per customer',
    );
  });

  const has = (values: Literal[], predicate: (v: string) => boolean, min = 1) =>
    values.filter((v) => v !== null && predicate(String(v))).length >= min;
  const cases: [string, string, string, (v: string) => boolean, number?][] = [
    ['shipped orders exist', 'sales.Orders', 'Status', (v) => v === 'Shipped', 100],
    ['cancelled orders exist', 'sales.Orders', 'Status', (v) => v === 'Cancelled', 100],
    ['pending orders exist', 'sales.Orders', 'Status', (v) => v === 'Pending', 10],
    ['orders on 29 February 2024 exist', 'sales.Orders', 'OrderDate', (v) => v.startsWith('2024-02-29')],
    ['orders in 2022, 2023 and 2024', 'sales.Orders', 'OrderDate', (v) => v.startsWith('2022') || v.startsWith('2023'), 1000],
    ['customers in Paris', 'sales.Customers', 'City', (v) => v === 'Paris', 10],
    ['customers in Lyon', 'sales.Customers', 'City', (v) => v === 'Lyon', 10],
    ['customers in München', 'sales.Customers', 'City', (v) => v === 'München', 5],
    ['customers in Spain', 'sales.Customers', 'Country', (v) => v === 'Spain', 10],
    ['customer names starting with A', 'sales.Customers', 'Name', (v) => v.startsWith('A'), 10],
    ['customer names longer than 20 characters', 'sales.Customers', 'Name', (v) => v.length > 20, 10],
    ['a customer name containing --', 'sales.Customers', 'Name', (v) => v.includes('--')],
    ['Toys products', 'dbo.Products', 'Category', (v) => v === 'Toys', 10],
    ['Garden products', 'dbo.Products', 'Category', (v) => v === 'Garden', 10],
    ['a product name with an underscore', 'dbo.Products', 'Name', (v) => v.includes('_')],
    ['products updated since 2024', 'dbo.Products', 'LastUpdated', (v) => v >= '2024-01-01', 10],
    ['employees in department 3', 'hr.Employees', 'DepartmentID', (v) => v === '3', 5],
    ['low ratings', 'sales.ProductReviews', 'Rating', (v) => Number(v) <= 2, 100],
    ['a review with отлично', 'sales.ProductReviews', 'Body', (v) => v.includes('отлично')],
    ['a review with an emoji', 'sales.ProductReviews', 'Body', (v) => v.includes('😀')],
    ['a ticket body with a C:\\Users\\ path', 'dbo.SupportTickets', 'Body', (v) => v.includes('C:\\Users\\')],
    ['a ticket subject with a backslash', 'dbo.SupportTickets', 'Subject', (v) => v.includes('\\')],
    ['a ticket subject with a 4-digit number', 'dbo.SupportTickets', 'Subject', (v) => /\d{4}/.test(v), 50],
    ['a ticket asking to DELETE my account', 'dbo.SupportTickets', 'Subject', (v) => v.includes('DELETE my account')],
    ['a ticket body containing exec', 'dbo.SupportTickets', 'Body', (v) => v.toLowerCase().includes('exec')],
    ['closed tickets', 'dbo.SupportTickets', 'ClosedAt', () => true, 1000],
    ['job runs', 'dbo.JobRuns', 'CreatedBy', () => true, 50],
  ];
  for (const [name, table, col, predicate, min] of cases) {
    test(`corpus values: ${name}`, () => assert.ok(has(column(table, col), predicate, min ?? 1)));
  }

  test('review and ticket prose is varied and covers what customers complain and rave about', () => {
    const reviews = column('sales.ProductReviews', 'Body').map(String);
    const tickets = column('dbo.SupportTickets', 'Body').map(String);
    assert.ok(new Set(reviews).size / reviews.length > 0.9, `distinct reviews ${new Set(reviews).size}`);
    assert.ok(new Set(tickets).size / tickets.length > 0.9, `distinct tickets ${new Set(tickets).size}`);
    const text = [...reviews, ...tickets].map((t) => t.toLowerCase());
    for (const term of [
      'refund',
      'damaged',
      'charged twice',
      'late',
      'missing',
      'warranty',
      'rude',
      'sizing',
      'kind',
      'invoice',
      'double charge',
      'broken',
      'quality',
    ]) {
      assert.ok(text.filter((t) => t.includes(term)).length >= 20, `"${term}" occurs often enough`);
    }
    const recall = tickets.filter((t) => /\brecall/i.test(t));
    assert.ok(recall.length >= 1 && recall.length <= 10, `a rare needle: ${recall.length} recall tickets`);
    assert.equal(reviews.filter((t) => /\brecall/i.test(t)).length, 0);
    assert.ok(
      recall.map((t) => t.toLowerCase()).every((t) => t.includes(RECALL_BATCH.toLowerCase()) && t.includes(RECALLED_PRODUCT.toLowerCase())),
      'every recall ticket names the product and batch',
    );
    assert.ok(column('dbo.Products', 'Name').includes(RECALLED_PRODUCT));
  });

  test('every table and most columns carry an MS_Description', () => {
    const comments = batches.filter((b) => b.startsWith('EXEC sys.sp_addextendedproperty')).join('\n');
    for (const table of TABLES) {
      assert.match(comments, new RegExp(`@level0name = N'${table.schema}', @level1type = N'TABLE', @level1name = N'${table.name}';`));
      const described = table.columns.filter((c) =>
        comments.includes(`@level1name = N'${table.name}', @level2type = N'COLUMN', @level2name = N'${c.name}';`),
      );
      assert.ok(described.length / table.columns.length >= 0.75, `${table.name} columns described`);
    }
  });

  test('SQL Server setup creates the database and a db_datareader login with quotes doubled', () => {
    const setup = sqlServerSetup({ database: 'RetailDB', readerUser: 'retail_reader', readerPassword: "p'ss" });
    assert.equal(setup.server[0], 'CREATE DATABASE RetailDB;');
    assert.match(
      setup.server[1] ?? '',
      /CREATE LOGIN \[retail_reader\] WITH PASSWORD = N'p''ss', CHECK_POLICY = OFF, DEFAULT_DATABASE = RetailDB ELSE ALTER LOGIN/,
    );
    assert.deepEqual(setup.database, [
      'CREATE USER [retail_reader] FOR LOGIN [retail_reader];',
      'ALTER ROLE db_datareader ADD MEMBER [retail_reader];',
    ]);
  });
});
