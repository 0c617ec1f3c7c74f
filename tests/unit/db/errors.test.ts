import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DbError, toDbError } from '../../../src/db/errors.ts';

describe('toDbError', () => {
  const cases: Array<{ name: string; err: unknown; code: DbError['code']; number?: number }> = [
    {
      name: 'a server error keeps its number',
      err: Object.assign(new Error("Invalid object name 'x'."), { number: 208, code: 'EREQUEST' }),
      code: 'QUERY_FAILED',
      number: 208,
    },
    {
      name: 'a nested server error keeps its number',
      err: Object.assign(new Error('wrapped'), { originalError: { number: 207 } }),
      code: 'QUERY_FAILED',
      number: 207,
    },
    {
      name: 'lock timeout 1222 is a timeout',
      err: Object.assign(new Error('Lock request time out period exceeded.'), { number: 1222 }),
      code: 'QUERY_TIMEOUT',
      number: 1222,
    },
    {
      name: 'a socket failure means unavailable',
      err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1433'), { code: 'ESOCKET' }),
      code: 'DB_UNAVAILABLE',
    },
    {
      name: 'a connection that closed between being lent and being used means unavailable',
      err: Object.assign(new Error('Requests can only be made in the LoggedIn state, not the Final state'), {
        name: 'RequestError',
        code: 'EINVALIDSTATE',
      }),
      code: 'DB_UNAVAILABLE',
    },
    {
      name: 'a failed login means unavailable',
      err: Object.assign(new Error("Login failed for user 'reader'."), { number: 18456, code: 'ELOGIN' }),
      code: 'DB_UNAVAILABLE',
      number: 18456,
    },
    { name: 'an unknown error is a failed query', err: new TypeError('boom'), code: 'QUERY_FAILED' },
  ];
  for (const c of cases) {
    it(`classifies: ${c.name}`, () => {
      const e = toDbError(c.err);
      assert.equal(e.code, c.code);
      assert.equal(e.number, c.number);
      assert.equal(e.cause, c.err);
    });
  }

  it('never echoes a driver message for connection failures (they name hosts and logins)', () => {
    const e = toDbError(Object.assign(new Error("Login failed for user 'reader' password=hunter2"), { number: 18456 }));
    assert.doesNotMatch(e.message, /reader|hunter2/);
  });

  it('strips network addresses from server messages', () => {
    const e = toDbError(Object.assign(new Error('Cannot reach 10.1.2.3:1433 from here'), { number: 50000 }));
    assert.doesNotMatch(e.message, /10\.1\.2\.3/);
    assert.match(e.message, /^SQL Server error 50000:/);
  });
});
