import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { insertBatches, literal, nstring, quoteName } from '../../sandbox/sample/tsql.ts';
import { createTableSql, describeTableSql } from '../../sandbox/sample/ddl.ts';
import { col } from '../../sandbox/sample/model.ts';
import type { RowValue, TableDef } from '../../sandbox/sample/model.ts';
import { createRandom } from '../../sandbox/sample/prng.ts';
import { parseInsert } from './sample-parse.ts';

describe('sample T-SQL writing', () => {
  const names: [string, string][] = [
    ['OrderID', 'OrderID'],
    ['Drop', '[Drop]'],
    ['Update', '[Update]'],
    ['Delete', '[Delete]'],
    ['Exec', '[Exec]'],
    ['Insert Date', '[Insert Date]'],
    ['odd]name', '[odd]]name]'],
  ];
  for (const [name, quoted] of names) {
    test(`quotes ${JSON.stringify(name)} as ${quoted}`, () => assert.equal(quoteName(name), quoted));
  }

  const literals: [string, string, RowValue, string][] = [
    ['bit true', 'bit', true, '1'],
    ['bit false', 'bit', false, '0'],
    ['int', 'int', -42, '-42'],
    ['decimal keeps its scale', 'decimal(12,2)', 4.5, '4.50'],
    ['money has two decimals', 'money', 4.95, '4.95'],
    ['float', 'float', 0.125, '0.125'],
    ['nvarchar is N-prefixed with quotes doubled', 'nvarchar(50)', "O'Brien", "N'O''Brien'"],
    ['nvarchar(max) keeps newlines and emoji', 'nvarchar(max)', 'a\nb 😀', "N'a\nb 😀'"],
    ['varchar is a plain literal', 'varchar(10)', 'CC-100', "'CC-100'"],
    ['date', 'date', '2024-02-29', "'2024-02-29'"],
    ['datetimeoffset', 'datetimeoffset(0)', '2024-01-07T16:44:47+01:00', "'2024-01-07T16:44:47+01:00'"],
    ['varbinary is hex', 'varbinary(16)', Uint8Array.from([0, 171, 255]), '0x00ABFF'],
  ];
  for (const [name, type, value, expected] of literals) {
    test(`literal: ${name}`, () => assert.equal(literal(col('C', type, null), value), expected));
  }

  test('literal refuses values SQL Server would reject or mangle', () => {
    assert.throws(() => literal(col('C', 'nvarchar(3)', null), 'abcd'), RangeError);
    assert.throws(() => literal(col('C', 'varchar(10)', null), 'München'), RangeError);
    assert.throws(() => literal(col('C', 'int', null), null), TypeError);
    assert.throws(() => literal(col('C', 'int', null), 1.5), TypeError);
    assert.equal(literal(col('C', 'int', null, true), null), 'NULL');
    assert.equal(nstring("it's"), "N'it''s'");
  });

  const table: TableDef = {
    schema: 'dbo',
    name: 'LegacyFlags',
    description: "Flags' table",
    columns: [col('FlagID', 'int', 'Key.'), col('Delete', 'bit', null), col('Note', 'nvarchar(20)', 'Free text.', true)],
    primaryKey: { name: 'PK_LegacyFlags', columns: ['FlagID'] },
  };

  test('INSERT batches split at the requested size and round-trip through a reader', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ FlagID: i + 1, Delete: i % 2 === 0, Note: i === 3 ? null : `n'${i}` }));
    const batches = [...insertBatches(table, rows, 3)];
    assert.equal(batches.length, 3);
    const parsed = batches.map(parseInsert);
    assert.deepEqual(parsed[0]?.columns, ['FlagID', 'Delete', 'Note']);
    assert.deepEqual(
      parsed.flatMap((p) => p?.rows ?? []),
      rows.map((r) => [r.FlagID, r.Delete ? 1 : 0, r.Note]),
    );
    assert.throws(() => [...insertBatches(table, [{ FlagID: 1, Delete: true }])], /no value for Note/);
  });

  test('DDL names its keys and describes the table and its documented columns only', () => {
    assert.match(
      createTableSql(table),
      /^CREATE TABLE dbo\.LegacyFlags \(\n {2}FlagID int NOT NULL,\n {2}\[Delete\] bit NOT NULL,\n {2}Note nvarchar\(20\) NULL,\n {2}CONSTRAINT PK_LegacyFlags PRIMARY KEY \(FlagID\)\n\);$/,
    );
    const comments = describeTableSql(table).split('\n');
    assert.equal(comments.length, 3);
    assert.match(comments[0] ?? '', /@value = N'Flags'' table'.*@level1name = N'LegacyFlags';$/);
    assert.ok(!comments.some((c) => c.includes("N'Delete'")));
  });

  test('the PRNG is deterministic per seed and forks independently of draw order', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRandom(seed).next);
    assert.deepEqual(draw(1), draw(1));
    assert.notDeepEqual(draw(1), draw(2));
    const a = createRandom(9);
    const b = createRandom(9);
    b.next();
    assert.equal(a.fork('x').next(), b.fork('x').next());
    const values = Array.from({ length: 1000 }, () => a.int(1, 6));
    assert.ok(values.every((v) => v >= 1 && v <= 6) && new Set(values).size === 6);
  });
});
