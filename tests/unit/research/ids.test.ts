import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseId, resultId, resultRowId, rowId, tableId } from '../../../src/research/ids.ts';

const UUID = '123e4567-e89b-42d3-a456-426614174000';

describe('ids', () => {
  const roundTrips: Array<[string, string, ReturnType<typeof parseId>]> = [
    ['a table', tableId('sales', 'Orders'), { kind: 'table', schema: 'sales', name: 'Orders' }],
    [
      'a table whose name has dots, colons and percent signs',
      tableId('odd.schema', 'a:b%c'),
      { kind: 'table', schema: 'odd.schema', name: 'a:b%c' },
    ],
    ['a row with an integer key', rowId('sales', 'Orders', [42]), { kind: 'row', schema: 'sales', name: 'Orders', key: [42] }],
    ['a row with a plain text key', rowId('dbo', 'Codes', ['AB-12']), { kind: 'row', schema: 'dbo', name: 'Codes', key: ['AB-12'] }],
    [
      'a row whose text key looks like a number',
      rowId('dbo', 'Codes', ['0042']),
      { kind: 'row', schema: 'dbo', name: 'Codes', key: ['0042'] },
    ],
    ['a row with a composite key', rowId('sales', 'OrderLines', [1, 2]), { kind: 'row', schema: 'sales', name: 'OrderLines', key: [1, 2] }],
    [
      'a row with a key containing spaces and quotes',
      rowId('dbo', 'T', ["O'Brien & co: 1"]),
      { kind: 'row', schema: 'dbo', name: 'T', key: ["O'Brien & co: 1"] },
    ],
    [
      'a row with a datetime key',
      rowId('dbo', 'Runs', ['2024-01-02T03:04:05.000Z']),
      { kind: 'row', schema: 'dbo', name: 'Runs', key: ['2024-01-02T03:04:05.000Z'] },
    ],
    ['a row with a bit key (as 1/0)', rowId('dbo', 'Flags', [true, false]), { kind: 'row', schema: 'dbo', name: 'Flags', key: [1, 0] }],
    ['a result', resultId(UUID), { kind: 'result', uuid: UUID }],
    ['a result row', resultRowId(UUID, 7), { kind: 'result_row', uuid: UUID, row: 7 }],
  ];
  for (const [name, id, parsed] of roundTrips) it(`round-trips ${name} (${id})`, () => assert.deepEqual(parseId(id), parsed));

  it('keeps simple ids readable', () => {
    assert.equal(tableId('sales', 'Orders'), 'table:sales.Orders');
    assert.equal(rowId('sales', 'Orders', [42]), 'row:sales.Orders:42');
  });

  const malformed = [
    '',
    'sales.Orders',
    'table:',
    'table:Orders',
    'table:a.b.c',
    'view:sales.Orders',
    'row:sales.Orders',
    'row:sales.Orders:',
    'row:sales.Orders:~not base64!',
    'row:sales.Orders:~e30',
    'row:sales.Orders:a b',
    'result:123',
    'result:SELECT 1',
    `resultrow:${UUID}`,
    `resultrow:${UUID}:0`,
    `resultrow:${UUID}:-1`,
    `resultrow:${UUID}:x`,
    'table:%E0%A4%A.x',
    `table:${'a'.repeat(3000)}.b`,
  ];
  for (const id of malformed) it(`refuses the malformed id ${JSON.stringify(id.slice(0, 40))}`, () => assert.equal(parseId(id), undefined));
});
