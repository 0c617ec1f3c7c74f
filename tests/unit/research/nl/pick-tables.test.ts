import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchTable } from '../../../../src/research/nl/pick-tables.ts';
import { col, table } from '../catalog-fixture.ts';

describe('the searchable shape of a table', () => {
  const customers = searchTable(
    table('sales', 'Customers', [
      col('CustomerID', 'int'),
      col('Name', 'nvarchar(200)'),
      col('Email', 'nvarchar(200)'),
      col('ContactPhone', 'varchar(60)'),
      col('SourceFile', 'varchar(260)'),
      col('City', 'nvarchar(100)'),
    ]),
  );
  it('searches names and places for words, but not e-mail addresses, phone numbers or file paths (looked up as codes instead)', () => {
    assert.ok(customers);
    assert.deepEqual(customers.textColumns.sort(), ['City', 'Name']);
    for (const c of ['Email', 'ContactPhone']) assert.ok(customers.codeColumns.includes(c), c);
  });

  it('knows when a table splits a person name into given and family name', () => {
    const employees = searchTable(
      table('hr', 'Employees', [col('EmployeeID', 'int'), col('FirstName', 'nvarchar(50)'), col('LastName', 'nvarchar(50)')]),
    );
    assert.deepEqual(employees?.personName, ['FirstName', 'LastName']);
    assert.equal(customers?.personName, undefined);
  });
});
