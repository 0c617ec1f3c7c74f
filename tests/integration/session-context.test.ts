import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DbError, SESSION_CONTEXT_KEYS, type SessionIdentity } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from './stack.ts';

const WHO =
  "SELECT CAST(SESSION_CONTEXT(N'mcp.subject') AS nvarchar(200)) AS subject, CAST(SESSION_CONTEXT(N'mcp.email') AS nvarchar(200)) AS email, " +
  "CAST(SESSION_CONTEXT(N'mcp.groups') AS nvarchar(4000)) AS groups, CAST(SESSION_CONTEXT(N'mcp.client_id') AS nvarchar(200)) AS client_id, " +
  "CAST(SESSION_CONTEXT(N'mcp.request_id') AS nvarchar(200)) AS request_id";
const opts = { maxRows: 10, timeoutMs: 10_000 };

const person = (n: number): SessionIdentity => ({
  subject: `https://idp.example#person-${n}`,
  email: `person${n}@corp.example`,
  groups: [`team-${n % 3}`, 'everyone'],
  clientId: `client-${n}`,
  requestId: `req-${n}`,
});

const expected = (p: SessionIdentity): unknown[] => [
  p.subject,
  p.email ?? null,
  JSON.stringify(p.groups ?? []),
  p.clientId ?? null,
  p.requestId ?? null,
];

describe('SESSION_CONTEXT carries the caller to SQL Server (MSSQL_SESSION_CONTEXT=true)', () => {
  let database: TestDatabase;
  let single: Db;
  let small: Db;
  before(async () => {
    database = await startTestDatabase({ fresh: true });
    // One connection: every query after the first reuses the same session.
    single = dbFor(database, database.reader, { poolMax: 1, maxConcurrent: 1, sessionContext: true, busyWaitMs: 30_000 });
    small = dbFor(database, database.reader, { poolMax: 2, maxConcurrent: 2, sessionContext: true, busyWaitMs: 60_000 });
  });
  after(async () => {
    await single?.close();
    await small?.close();
    await database?.close();
  });

  it('sets every mcp.* key for the query, read from the same batch', async () => {
    const p = person(1);
    const r = await single.query(WHO, [], { ...opts, identity: p });
    assert.deepEqual(r.rows, [expected(p)]);
    assert.deepEqual(SESSION_CONTEXT_KEYS, ['mcp.subject', 'mcp.email', 'mcp.groups', 'mcp.client_id', 'mcp.request_id']);
  });

  it('alternates people on a one-connection pool without one seeing the other (the connection is reset)', async () => {
    for (let i = 0; i < 6; i++) {
      const p = person(i % 2);
      const r = await single.query(WHO, [], { ...opts, identity: p });
      assert.deepEqual(r.rows, [expected(p)], `query ${i}`);
    }
  });

  it('leaves no context for a query without a caller after a person used the connection', async () => {
    await single.query(WHO, [], { ...opts, identity: person(7) });
    const r = await single.query(WHO, [], opts);
    assert.deepEqual(r.rows, [[null, null, null, null, null]]);
  });

  it('keeps the keys read-only: the query itself cannot set them again (error 15664)', async () => {
    const err = await single
      .query("EXEC sp_set_session_context @key = N'mcp.email', @value = N'boss@corp.example'", [], { ...opts, identity: person(2) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof DbError, String(err));
    assert.match(String((err.cause as { message?: string } | undefined)?.message ?? err.message), /read_only|15664/);
    const r = await single.query(WHO, [], { ...opts, identity: person(3) });
    assert.deepEqual(r.rows, [expected(person(3))]);
  });

  it('resets the context after a timed-out query and after a cancelled one', async () => {
    await assert.rejects(
      single.query("WAITFOR DELAY '00:00:05'", [], { maxRows: 1, timeoutMs: 300, identity: person(4) }),
      (e: unknown) => e instanceof DbError && e.code === 'QUERY_TIMEOUT',
    );
    assert.deepEqual((await single.query(WHO, [], { ...opts, identity: person(5) })).rows, [expected(person(5))]);
    const controller = new AbortController();
    const slow = single.query("WAITFOR DELAY '00:00:05'", [], {
      maxRows: 1,
      timeoutMs: 10_000,
      identity: person(6),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(slow, (e: unknown) => e instanceof DbError);
    assert.deepEqual((await single.query(WHO, [], { ...opts, identity: person(8) })).rows, [expected(person(8))]);
    assert.deepEqual((await single.query(WHO, [], opts)).rows, [[null, null, null, null, null]]);
  });

  it('gives each of many concurrent people their own context on a two-connection pool', async () => {
    const people = Array.from({ length: 24 }, (_, i) => person(100 + i));
    const results = await Promise.all(people.map((p) => small.query(WHO, [], { ...opts, identity: p })));
    results.forEach((r, i) => assert.deepEqual(r.rows, [expected(people[i] as SessionIdentity)], `person ${i}`));
  });

  it('passes values only as parameters: quotes and SQL in a value are data', async () => {
    const p: SessionIdentity = { subject: "o'brien'; DROP TABLE sales.Orders; --", email: "x'@corp.example", groups: ["a'b", '"c"'] };
    const r = await single.query(WHO, [], { ...opts, identity: p });
    assert.deepEqual(r.rows, [expected(p)]);
  });

  it("applies the sample database's security policy: a sales rep sees only their own orders, a session without e-mail sees all", async () => {
    const owner = dbFor(database, database.owner);
    try {
      const reps = await owner.query(
        'SELECT TOP (2) e.Email, COUNT(*) AS n FROM sales.Orders AS o JOIN hr.Employees AS e ON e.EmployeeID = o.SalesRepID GROUP BY e.Email ORDER BY COUNT(*) DESC, e.Email',
        [],
        opts,
      );
      const total = Number((await owner.query('SELECT COUNT(*) FROM sales.Orders', [], opts)).rows[0]?.[0]);
      assert.equal(reps.rows.length, 2);
      assert.equal(
        Number((await single.query('SELECT COUNT(*) FROM sales.Orders', [], opts)).rows[0]?.[0]),
        total,
        'no caller: every order',
      );
      assert.equal(
        Number((await single.query('SELECT COUNT(*) FROM sales.Orders', [], { ...opts, identity: { subject: 'key:0123' } })).rows[0]?.[0]),
        total,
        'no e-mail: every order',
      );
      for (const [email, n] of reps.rows as Array<[string, number]>) {
        const seen = await single.query('SELECT COUNT(*) AS n, COUNT(DISTINCT SalesRepID) AS reps FROM sales.Orders', [], {
          ...opts,
          identity: { subject: `idp#${email}`, email },
        });
        assert.deepEqual(seen.rows[0]?.map(Number), [Number(n), 1], email);
      }
      const stranger = await single.query('SELECT COUNT(*) FROM sales.Orders', [], {
        ...opts,
        identity: { subject: 'idp#x', email: 'nobody@corp.example' },
      });
      assert.equal(Number(stranger.rows[0]?.[0]), 0);
    } finally {
      await owner.close();
    }
  });
});
