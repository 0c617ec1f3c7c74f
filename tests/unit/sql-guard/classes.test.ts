import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuard } from '../../../src/sql-guard/index.ts';
import { ACCEPT, REFUSE } from './cases.ts';
import { openGuard } from './corpus.ts';

const guard = openGuard();

describe('guard classes beyond the corpus', () => {
  for (const [name, cases] of Object.entries(ACCEPT)) {
    test(`accepts ${name}`, () => {
      const refused = cases.flatMap((sql) => {
        const v = guard.check(sql);
        return v.ok ? [] : [`${JSON.stringify(sql)}: ${v.code} ${v.reason}`];
      });
      assert.deepEqual(refused, []);
    });
  }
  for (const [name, cases] of Object.entries(REFUSE)) {
    test(`refuses ${name}`, () => {
      const accepted = cases.flatMap((sql) => {
        const v = guard.check(sql);
        return v.ok ? [`${JSON.stringify(sql)} accepted as ${v.sql}`] : [];
      });
      assert.deepEqual(accepted, []);
    });
  }

  test('a refusal names the word, its line and column, and how to rephrase', () => {
    const v = guard.check('DELETE FROM sales.Orders');
    assert.equal(v.ok, false);
    if (v.ok) return;
    assert.equal(v.code, 'READ_ONLY_VIOLATION');
    assert.match(v.reason, /found DELETE at line 1, column 1/);
    assert.deepEqual(v.position, { line: 1, column: 1 });
    assert.match(v.hint ?? '', /SELECT/);
    const later = guard.check('SELECT 1\r\n  DROP TABLE t');
    assert.ok(!later.ok && later.position?.line === 2 && later.position.column === 3);
  });

  test('comments and odd spacing never reach the SQL that runs', () => {
    const v = guard.check("SELECT /* x */ Name -- y\n\tFROM   sales . Customers WHERE Name = 'a  b'");
    assert.ok(v.ok);
    assert.equal(v.sql, "SELECT TOP (101) Name FROM sales.Customers WHERE Name = 'a  b'");
  });

  test('an over-long query is refused before it is read', () => {
    const small = createGuard({ maxLength: 50, rowCap: 10, denySchemas: [], denyTables: [] });
    const v = small.check(`SELECT '${'x'.repeat(100)}'`);
    assert.ok(!v.ok && v.code === 'SQL_TOO_LONG');
    const junk = small.check(`\u0000${'`'.repeat(200)}`);
    assert.ok(!junk.ok && junk.code === 'SQL_TOO_LONG');
  });

  test('unparseable SQL is refused with the position of the problem and a hint', () => {
    const v = guard.check('SELECT Name FROM sales.Customers WHERE (City = 1');
    assert.ok(!v.ok);
    assert.equal(v.code, 'SQL_PARSE_ERROR');
    assert.deepEqual(v.position, { line: 1, column: 49 });
    assert.ok(v.hint);
  });
});
