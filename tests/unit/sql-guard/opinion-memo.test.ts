import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuard, type GuardVerdict } from '../../../src/sql-guard/index.ts';
import { loadCorpus, openGuard } from './corpus.ts';

/** What a verdict decides, for comparing guards: the SQL that would run, or the refusal. */
function decision(v: GuardVerdict): string {
  return v.ok ? `ok ${v.sql}` : `${v.code} ${v.reason}`;
}

/** The statement with every standalone integer literal changed (same shape, other values). */
function otherNumbers(sql: string): string {
  return sql.replace(/(?<![\w.@#$'[\]])(\d{1,6})(?![\w.'])/g, (n) => String(Number(n) + 3));
}

describe('the guard remembers node-sql-parser opinions by statement shape, and only what holds for every value', () => {
  const lines = [...loadCorpus('valid'), ...loadCorpus('refuse')];

  test('a guard that has seen every corpus statement (and the same statements with other numbers) decides each like a fresh guard', () => {
    const warm = openGuard();
    for (const l of lines) {
      warm.check(l.sql);
      warm.check(otherNumbers(l.sql));
    }
    const failures = lines.flatMap((l) => {
      const variant = otherNumbers(l.sql);
      const differs: string[] = [];
      for (const sql of [l.sql, variant]) {
        const fresh = decision(openGuard().check(sql));
        const remembered = decision(warm.check(sql));
        if (fresh !== remembered) differs.push(`${l.id}: fresh "${fresh}" vs warm "${remembered}"`);
      }
      return differs;
    });
    assert.deepEqual(failures, []);
  });

  test('a remembered shape still applies the deny list of its own guard: the same statement allowed by one guard is refused by another', () => {
    const open = openGuard();
    const denying = createGuard({ maxLength: 20_000, rowCap: 100, denySchemas: ['hr'], denyTables: [] });
    for (const id of [1, 2, 3]) {
      const sql = `SELECT e.EmployeeID FROM sales.Orders o JOIN hr.Employees e ON e.EmployeeID = o.OrderID WHERE o.OrderID = ${id}`;
      assert.equal(open.check(sql).ok, true);
      const refused = denying.check(sql);
      assert.equal(refused.ok, false);
      assert.match(decision(refused), /hr\.employees/i);
    }
  });

  test('a write hidden in a statement is refused however often its shape has been seen with other values', () => {
    const guard = openGuard();
    for (let id = 0; id < 5; id += 1) {
      const v = guard.check(`SELECT ${id} AS n; DELETE FROM sales.Orders WHERE OrderID = ${id}`);
      assert.equal(v.ok, false, `statement ${id} accepted`);
    }
  });
});
