import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isTds72Plus, negotiateVersion } from '../../sandbox/tds/version-types.ts';

/** LOGIN7's TDSVersion (MS-TDS 2.2.6.4) → what LOGINACK answers, and whether 7.2+ encodings apply. */
const CASES: Array<[client: string, requested: number, answered: number | undefined, tds72: boolean | undefined]> = [
  ['TDS 7.0 (SQL Server 7.0)', 0x70000000, undefined, undefined],
  ['TDS 8.0 strict (TLS first, not supported)', 0x08000000, undefined, undefined],
  ['TDS 7.1 (SQL Server 2000)', 0x71000000, 0x71000000, false],
  ['TDS 7.1 revision 1 (SQL Server 2000 SP1)', 0x71000001, 0x71000001, false],
  ['TDS 7.2 (SQL Server 2005)', 0x72090002, 0x72090002, true],
  ['TDS 7.3A (SQL Server 2008)', 0x730a0003, 0x730a0003, true],
  ['TDS 7.3B (SQL Server 2008 R2)', 0x730b0003, 0x730b0003, true],
  ['TDS 7.4 (SQL Server 2012 and later)', 0x74000004, 0x74000004, true],
  ['a newer 7.x', 0x75000000, 0x74000004, true],
];

describe('TDS version negotiation in LOGINACK', () => {
  for (const [client, requested, answered, tds72] of CASES) {
    const outcome = answered === undefined ? 'is refused' : `gets 0x${answered.toString(16)}`;
    test(`${client} ${outcome}`, () => {
      const got = negotiateVersion(requested);
      assert.equal(got, answered);
      if (got !== undefined) assert.equal(isTds72Plus(got), tds72);
    });
  }
});
