import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnTypeName, toJsonValue } from '../../../src/db/values.ts';

const t = (declaration: string) => ({ declaration });

describe('columnTypeName', () => {
  const cases: Array<[Parameters<typeof columnTypeName>[0], string]> = [
    [{ name: 'a', type: t('nvarchar'), length: 400 }, 'nvarchar(200)'],
    [{ name: 'a', type: t('nvarchar'), length: 0xffff }, 'nvarchar(max)'],
    [{ name: 'a', type: t('varchar'), length: 50 }, 'varchar(50)'],
    [{ name: 'a', type: t('decimal'), precision: 10, scale: 2 }, 'decimal(10,2)'],
    [{ name: 'a', type: t('datetime2'), scale: 3 }, 'datetime2(3)'],
    [{ name: 'a', type: t('int') }, 'int'],
  ];
  for (const [column, expected] of cases) it(`names ${expected}`, () => assert.equal(columnTypeName(column), expected));
});

describe('toJsonValue', () => {
  const cases: Array<[string, unknown, string, number | undefined, unknown]> = [
    ['null stays null', null, 'int', undefined, null],
    ['datetime2 becomes ISO text', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), 'datetime2', 7, '2024-01-02T03:04:05.006Z'],
    ['date becomes a calendar date', new Date(Date.UTC(2024, 1, 29)), 'date', undefined, '2024-02-29'],
    ['time becomes clock text', new Date(Date.UTC(1970, 0, 1, 13, 14, 15, 500)), 'time', 7, '13:14:15.500'],
    ['binary becomes hex', Buffer.from([0xde, 0xad]), 'varbinary', undefined, '0xDEAD'],
    ['bigint becomes a string', 9007199254740993n, 'bigint', undefined, '9007199254740993'],
    ['a bigint the driver sent as text stays text', '9007199254740993', 'bigint', undefined, '9007199254740993'],
    ['decimal keeps its scale as a string', 12.5, 'decimal', 2, '12.50'],
    ['money has four places', 3, 'money', undefined, '3.0000'],
    ['float stays a number', 1.25, 'float', undefined, 1.25],
    ['bit stays boolean', true, 'bit', undefined, true],
  ];
  for (const [name, value, type, scale, expected] of cases) {
    it(name, () => assert.deepEqual(toJsonValue(value, type, scale), expected));
  }
});
