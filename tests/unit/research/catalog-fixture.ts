import type { Catalog, CatalogColumn, CatalogTable } from '../../../src/db/types.ts';

export const col = (name: string, type: string, extra: Partial<CatalogColumn> = {}): CatalogColumn => ({
  name,
  type,
  nullable: false,
  isText: /char|text/.test(type),
  maxLength: /\(max\)/.test(type) ? -1 : Number(/\((\d+)\)/.exec(type)?.[1] ?? 0) || undefined,
  ...extra,
});

export const table = (schema: string, name: string, columns: CatalogColumn[], extra: Partial<CatalogTable> = {}): CatalogTable => ({
  schema,
  name,
  kind: 'table',
  columns,
  primaryKey: [columns[0]?.name ?? ''],
  foreignKeys: [],
  indexes: [],
  ...extra,
});

/** A small catalog shaped like the sample database, for tests that need no database. */
export function sampleCatalog(): Catalog {
  return {
    database: 'RetailDB',
    loadedAt: 0,
    tables: [
      table('sales', 'Customers', [col('CustomerID', 'int'), col('Name', 'nvarchar(100)'), col('Country', 'nvarchar(60)')], {
        rowCount: 500,
        description: 'People and companies that buy from us.',
      }),
      table(
        'sales',
        'Orders',
        [
          col('OrderID', 'int'),
          col('CustomerID', 'int'),
          col('Status', 'nvarchar(20)', { description: 'Pending, Shipped, Delivered or Cancelled.' }),
        ],
        {
          rowCount: 20_000,
          foreignKeys: [
            { name: 'FK_Orders_Customers', columns: ['CustomerID'], refSchema: 'sales', refTable: 'Customers', refColumns: ['CustomerID'] },
          ],
          indexes: [{ name: 'PK_Orders', unique: true, primaryKey: true, columns: ['OrderID'] }],
        },
      ),
      table('dbo', 'SupportTickets', [col('TicketID', 'int'), col('Subject', 'nvarchar(200)'), col('Body', 'nvarchar(max)')], {
        rowCount: 3_000,
        description: 'Customer complaints and questions.',
      }),
      table('dbo', 'Deliveries', [col('DeliveryID', 'int'), col('Insert Date', 'datetime2')], { rowCount: 10 }),
      table(
        'sales',
        'ProductReviews',
        [col('ReviewID', 'int'), col('Rating', 'tinyint'), col('Body', 'nvarchar(2000)', { description: 'What the customer wrote.' })],
        { rowCount: 8_000 },
      ),
      table('hr', 'Employees', [col('EmployeeID', 'int'), col('LastName', 'nvarchar(50)')], { rowCount: 120 }),
      { ...table('sales', 'OpenOrders', [col('OrderID', 'int')]), kind: 'view', primaryKey: [] },
    ],
  };
}
