import type { TableDef } from './model.ts';
import { col } from './model.ts';

const ref = (schema: string, table: string, column: string) => ({ schema, table, columns: [column] });

export const customers: TableDef = {
  schema: 'sales',
  name: 'Customers',
  description: 'People and businesses who have an account with the shop.',
  columns: [
    col('CustomerID', 'int', 'Surrogate key of the customer.'),
    col('Name', 'nvarchar(200)', 'Full name of a person or registered name of a business.'),
    col('Email', 'nvarchar(200)', 'Contact e-mail address; NULL when the customer asked us to forget it.', true),
    col('Phone', 'varchar(30)', 'Contact phone number in international format.', true),
    col('City', 'nvarchar(100)', 'City of the billing address.'),
    col('Country', 'nvarchar(60)', 'Country of the billing address, in English.'),
    col('CountryCode', 'nchar(2)', 'ISO 3166-1 alpha-2 code of Country.'),
    col('CustomerType', 'varchar(10)', 'Person or Business.'),
    col('LoyaltyTier', 'tinyint', 'Loyalty programme tier: 0 none, 1 silver, 2 gold, 3 platinum.'),
    col('CreatedAt', 'datetime2(0)', 'When the account was created.'),
    col('DeletedFlag', 'bit', '1 when the account was closed; the row is kept for order history.'),
    col('RowGuid', 'uniqueidentifier', null),
  ],
  primaryKey: { name: 'PK_Customers', columns: ['CustomerID'] },
  indexes: [{ name: 'IX_Customers_Country_City', columns: ['Country', 'City'] }],
};

export const orders: TableDef = {
  schema: 'sales',
  name: 'Orders',
  description: 'Customer orders from the web shop, the app, the phone line and the stores; Total is the sum of the order lines.',
  columns: [
    col('OrderID', 'int', 'Surrogate key of the order, printed on invoices as the order number.'),
    col('CustomerID', 'int', 'Customer who placed the order.'),
    col('SalesRepID', 'int', 'Employee who took a phone or store order; NULL for web and app orders.', true),
    col('OrderDate', 'datetime2(0)', 'When the order was placed.'),
    col('RequiredDate', 'date', 'Delivery date promised to the customer.'),
    col('ShippedDate', 'datetime', 'When the parcel left the warehouse; NULL until shipped.', true),
    col('Status', 'nvarchar(20)', 'Pending, Processing, Shipped, Delivered, Cancelled or Returned.'),
    col('Channel', 'varchar(10)', 'Web, App, Phone or Store.'),
    col('ShippingCost', 'money', 'Shipping charged to the customer in EUR.'),
    col('Total', 'decimal(12,2)', 'Order value in EUR: the sum of quantity times unit price over its lines.'),
    col('Notes', 'nvarchar(500)', null, true),
  ],
  primaryKey: { name: 'PK_Orders', columns: ['OrderID'] },
  foreignKeys: [
    { name: 'FK_Orders_Customers', columns: ['CustomerID'], references: ref('sales', 'Customers', 'CustomerID') },
    { name: 'FK_Orders_Employees', columns: ['SalesRepID'], references: ref('hr', 'Employees', 'EmployeeID') },
  ],
  indexes: [
    { name: 'IX_Orders_CustomerID', columns: ['CustomerID'] },
    { name: 'IX_Orders_OrderDate', columns: ['OrderDate'], include: ['Status', 'Total'] },
  ],
};

export const orderLines: TableDef = {
  schema: 'sales',
  name: 'OrderLines',
  description: 'One row per product on an order; the largest table in the database.',
  columns: [
    col('OrderLineID', 'int', 'Surrogate key of the order line.'),
    col('OrderID', 'int', 'Order the line belongs to.'),
    col('ProductID', 'int', 'Product ordered.'),
    col('Quantity', 'smallint', 'Units ordered.'),
    col('UnitPrice', 'decimal(10,2)', 'Price per unit in EUR at the time of the order, after discount.'),
    col('DiscountPct', 'decimal(5,2)', 'Discount applied to the list price, in percent.'),
  ],
  primaryKey: { name: 'PK_OrderLines', columns: ['OrderLineID'] },
  foreignKeys: [
    { name: 'FK_OrderLines_Orders', columns: ['OrderID'], references: ref('sales', 'Orders', 'OrderID') },
    { name: 'FK_OrderLines_Products', columns: ['ProductID'], references: ref('dbo', 'Products', 'ProductID') },
  ],
  indexes: [
    { name: 'IX_OrderLines_OrderID', columns: ['OrderID'] },
    { name: 'IX_OrderLines_ProductID', columns: ['ProductID'] },
  ],
};

export const payments: TableDef = {
  schema: 'sales',
  name: 'Payments',
  description: 'Payment transactions captured for orders, including failed attempts and duplicate captures.',
  columns: [
    col('PaymentID', 'int', 'Surrogate key of the payment.'),
    col('OrderID', 'int', 'Order paid.'),
    col('Amount', 'decimal(12,2)', 'Amount captured in EUR.'),
    col('Method', 'varchar(20)', 'Card, PayPal, BankTransfer, GiftCard or Invoice.'),
    col('ProcessedAt', 'datetimeoffset(0)', "When the payment provider processed it, in the customer's local time zone."),
    col('TransactionRef', 'uniqueidentifier', 'Reference the payment provider returned.'),
    col('Succeeded', 'bit', '1 when the money was captured.'),
  ],
  primaryKey: { name: 'PK_Payments', columns: ['PaymentID'] },
  foreignKeys: [{ name: 'FK_Payments_Orders', columns: ['OrderID'], references: ref('sales', 'Orders', 'OrderID') }],
  indexes: [{ name: 'IX_Payments_OrderID', columns: ['OrderID'] }],
};

export const productReviews: TableDef = {
  schema: 'sales',
  name: 'ProductReviews',
  description: 'Reviews customers wrote about products: a star rating and free text.',
  columns: [
    col('ReviewID', 'int', 'Surrogate key of the review.'),
    col('ProductID', 'int', 'Product reviewed.'),
    col('CustomerID', 'int', 'Customer who wrote the review.'),
    col('Rating', 'tinyint', 'Stars from 1 (worst) to 5 (best).'),
    col('Title', 'nvarchar(200)', 'Headline of the review.'),
    col('Body', 'nvarchar(max)', 'Review text as written by the customer.'),
    col('CreatedAt', 'datetime2(0)', 'When the review was published.'),
    col('HelpfulVotes', 'smallint', 'How many readers marked the review as helpful.'),
    col('VerifiedPurchase', 'bit', '1 when the reviewer bought the product from us.'),
  ],
  primaryKey: { name: 'PK_ProductReviews', columns: ['ReviewID'] },
  foreignKeys: [
    { name: 'FK_ProductReviews_Products', columns: ['ProductID'], references: ref('dbo', 'Products', 'ProductID') },
    { name: 'FK_ProductReviews_Customers', columns: ['CustomerID'], references: ref('sales', 'Customers', 'CustomerID') },
  ],
  indexes: [{ name: 'IX_ProductReviews_ProductID', columns: ['ProductID'] }],
  fullText: { columns: ['Title', 'Body'] },
};

export const refunds: TableDef = {
  schema: 'sales',
  name: 'Refunds',
  description: 'Money paid back to customers, usually after a support ticket.',
  columns: [
    col('RefundID', 'int', 'Surrogate key of the refund.'),
    col('OrderID', 'int', 'Order refunded.'),
    col('TicketID', 'int', 'Support ticket that led to the refund, when there was one.', true),
    col('Amount', 'decimal(12,2)', 'Amount refunded in EUR.'),
    col('Reason', 'nvarchar(200)', 'Why the money was refunded.'),
    col('RefundedAt', 'datetime2(0)', 'When the refund was issued.'),
    col('ApprovedByID', 'int', 'Employee who approved the refund.'),
  ],
  primaryKey: { name: 'PK_Refunds', columns: ['RefundID'] },
  foreignKeys: [
    { name: 'FK_Refunds_Orders', columns: ['OrderID'], references: ref('sales', 'Orders', 'OrderID') },
    { name: 'FK_Refunds_SupportTickets', columns: ['TicketID'], references: ref('dbo', 'SupportTickets', 'TicketID') },
    { name: 'FK_Refunds_Employees', columns: ['ApprovedByID'], references: ref('hr', 'Employees', 'EmployeeID') },
  ],
};
