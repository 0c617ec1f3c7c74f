import type { TableDef } from './model.ts';
import { col } from './model.ts';

export const suppliers: TableDef = {
  schema: 'dbo',
  name: 'Suppliers',
  description: 'Manufacturers and wholesalers the company buys its products from.',
  columns: [
    col('SupplierID', 'int', 'Surrogate key of the supplier.'),
    col('Name', 'nvarchar(150)', 'Registered company name.'),
    col('Country', 'nvarchar(60)', 'Country of the supplier head office.'),
    col('ContactEmail', 'varchar(120)', 'Purchasing contact address.'),
    col('ReliabilityScore', 'float', 'Share of purchase orders delivered complete and on time (0 to 1).'),
    col('IsPreferred', 'bit', '1 when the supplier is on the preferred list.'),
  ],
  primaryKey: { name: 'PK_Suppliers', columns: ['SupplierID'] },
};

export const products: TableDef = {
  schema: 'dbo',
  name: 'Products',
  description: 'The product catalogue: everything the company sells, current and discontinued.',
  columns: [
    col('ProductID', 'int', 'Surrogate key of the product.'),
    col('SKU', 'varchar(20)', 'Stock keeping unit printed on labels; unique.'),
    col('Name', 'nvarchar(200)', 'Product name as shown in the shop.'),
    col('Category', 'nvarchar(50)', 'Shop category (Toys, Garden, Kitchen, …).'),
    col('SupplierID', 'int', 'Supplier the product is bought from.'),
    col('Price', 'decimal(10,2)', 'Current retail price in EUR including VAT.'),
    col('Cost', 'money', 'Purchase cost per unit in EUR.'),
    col('WeightKg', 'float', 'Shipping weight in kilograms.'),
    col('Description', 'nvarchar(max)', 'Marketing description shown on the product page.'),
    col('Discontinued', 'bit', '1 when the product is no longer sold.'),
    col('LaunchDate', 'date', 'Date the product was first sold.'),
    col('LastUpdated', 'datetime2(0)', 'When the catalogue entry was last edited.'),
    col('UpdatedBy', 'nvarchar(128)', 'Login of the person or job that last edited the entry.'),
    col('ThumbnailHash', 'varbinary(16)', 'MD5-sized hash of the product thumbnail image; NULL when no image.', true),
    col('RowGuid', 'uniqueidentifier', null),
  ],
  primaryKey: { name: 'PK_Products', columns: ['ProductID'] },
  foreignKeys: [
    { name: 'FK_Products_Suppliers', columns: ['SupplierID'], references: { schema: 'dbo', table: 'Suppliers', columns: ['SupplierID'] } },
  ],
  indexes: [
    { name: 'UX_Products_SKU', columns: ['SKU'], unique: true },
    { name: 'IX_Products_Category', columns: ['Category'], include: ['Price'] },
  ],
  fullText: { columns: ['Name', 'Description'] },
};

export const supportTickets: TableDef = {
  schema: 'dbo',
  name: 'SupportTickets',
  description: "Customer service tickets raised by e-mail, phone, chat or web form, with the customer's own words.",
  columns: [
    col('TicketID', 'int', 'Surrogate key of the ticket.'),
    col('CustomerID', 'int', 'Customer who raised the ticket.'),
    col('OrderID', 'int', 'Order the ticket is about, when there is one.', true),
    col('AssignedToID', 'int', 'Support agent (EmployeeID) handling the ticket; NULL while unassigned.', true),
    col('Subject', 'nvarchar(200)', 'Subject line as written by the customer.'),
    col('Body', 'nvarchar(max)', "Full text of the customer's message."),
    col('Category', 'nvarchar(50)', 'Triage category: Delivery, Billing, Returns, Product, Account or Technical.'),
    col('Priority', 'nvarchar(10)', 'Low, Normal, High or Urgent.'),
    col('Status', 'nvarchar(20)', 'Open, Pending, Resolved or Closed.'),
    col('Channel', 'varchar(10)', 'How the ticket arrived: Email, Phone, Chat or Web.'),
    col('OpenedAt', 'datetime', 'When the ticket was opened.'),
    col('ClosedAt', 'datetime', 'When the ticket was closed; NULL while open.', true),
    col('SatisfactionScore', 'tinyint', 'Customer satisfaction survey answer from 1 to 5, when given.', true),
  ],
  primaryKey: { name: 'PK_SupportTickets', columns: ['TicketID'] },
  foreignKeys: [
    {
      name: 'FK_SupportTickets_Customers',
      columns: ['CustomerID'],
      references: { schema: 'sales', table: 'Customers', columns: ['CustomerID'] },
    },
    { name: 'FK_SupportTickets_Orders', columns: ['OrderID'], references: { schema: 'sales', table: 'Orders', columns: ['OrderID'] } },
    {
      name: 'FK_SupportTickets_Employees',
      columns: ['AssignedToID'],
      references: { schema: 'hr', table: 'Employees', columns: ['EmployeeID'] },
    },
  ],
  indexes: [
    { name: 'IX_SupportTickets_CustomerID', columns: ['CustomerID'] },
    { name: 'IX_SupportTickets_OpenedAt', columns: ['OpenedAt'] },
  ],
  fullText: { columns: ['Subject', 'Body'] },
};

export const deliveries: TableDef = {
  schema: 'dbo',
  name: 'Deliveries',
  description: 'Parcels handed to carriers, one row per shipped order (legacy column names kept from the old warehouse system).',
  columns: [
    col('DeliveryID', 'int', 'Surrogate key of the delivery.'),
    col('OrderID', 'int', 'Order shipped in this parcel.'),
    col('Carrier', 'nvarchar(50)', 'Parcel carrier.'),
    col('TrackingNumber', 'varchar(30)', 'Carrier tracking number.'),
    col('Insert Date', 'datetime2(0)', 'When the warehouse system recorded the parcel.'),
    col('Drop', 'nvarchar(200)', 'Drop-off point: where the carrier left the parcel.'),
    col('DeliveredAt', 'datetime2(0)', 'When the carrier confirmed delivery; NULL while in transit.', true),
    col('AttemptCount', 'tinyint', 'Number of delivery attempts.'),
  ],
  primaryKey: { name: 'PK_Deliveries', columns: ['DeliveryID'] },
  foreignKeys: [
    { name: 'FK_Deliveries_Orders', columns: ['OrderID'], references: { schema: 'sales', table: 'Orders', columns: ['OrderID'] } },
  ],
  indexes: [{ name: 'IX_Deliveries_OrderID', columns: ['OrderID'] }],
};

export const jobRuns: TableDef = {
  schema: 'dbo',
  name: 'JobRuns',
  description: 'Execution log of scheduled back-office jobs (imports, exports, clean-ups).',
  columns: [
    col('JobRunID', 'bigint', 'Surrogate key of the run.'),
    col('JobID', 'int', 'Identifier of the scheduled job.'),
    col('JobName', 'nvarchar(100)', 'Name of the scheduled job.'),
    col('ExecutedAt', 'datetime', 'When the run started.'),
    col('DurationMs', 'int', 'Run time in milliseconds.'),
    col('RowsProcessed', 'bigint', 'Rows read or written by the run.'),
    col('Succeeded', 'bit', '1 when the run finished without error.'),
    col('CreatedBy', 'nvarchar(128)', 'Login or agent that started the run.'),
  ],
  primaryKey: { name: 'PK_JobRuns', columns: ['JobRunID'] },
};

export const legacyImport: TableDef = {
  schema: 'dbo',
  name: 'LegacyImport',
  description: 'Raw rows imported from the previous shop system; column names are reserved words kept as they were.',
  columns: [
    col('ImportID', 'int', 'Surrogate key of the imported row.'),
    col('Drop', 'nvarchar(50)', 'Import drop (batch) label.'),
    col('Insert Date', 'datetime', 'When the row was inserted by the import.'),
    col('Update', 'nvarchar(100)', 'Last update note from the old system.'),
    col('SourceFile', 'varchar(260)', 'File the row came from.'),
    col('Payload', 'nvarchar(max)', null, true),
  ],
  primaryKey: { name: 'PK_LegacyImport', columns: ['ImportID'] },
};

export const legacyFlags: TableDef = {
  schema: 'dbo',
  name: 'LegacyFlags',
  description: 'Feature flags of the previous shop system, kept for audits.',
  columns: [
    col('FlagID', 'int', 'Surrogate key of the flag.'),
    col('Delete', 'bit', '1 when the flagged record was marked for deletion.'),
    col('Exec', 'nvarchar(50)', 'Name of the routine the old system ran for the flag.'),
    col('Note', 'nvarchar(200)', null, true),
  ],
  primaryKey: { name: 'PK_LegacyFlags', columns: ['FlagID'] },
};
