import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateSampleDatabase, SECURITY_POLICY_BATCHES } from '../../sandbox/sample/index.ts';

describe('the sample database row-level security example (T-SQL for SQL Server and the sandbox)', () => {
  const batches = [...generateSampleDatabase({ scale: 0.01, largeRows: 100, fullText: true })];
  const at = (re: RegExp): number => batches.findIndex((b) => re.test(b));

  test('the predicate function and the policy are emitted once each, alone in their batch, after the rows they read and filter', () => {
    const fn = at(/^CREATE FUNCTION \[sales\]\.\[fn_OrderVisibleToCaller\]/);
    const policy = at(/^CREATE SECURITY POLICY \[sales\]\.\[OrdersForCaller\]/);
    assert.ok(fn >= 0 && policy === fn + 1, `function at ${fn}, policy at ${policy}`);
    for (const i of [fn, policy]) assert.equal(batches[i]?.match(/\bCREATE\b/g)?.length, 1, batches[i]);
    const lastInsert = Math.max(
      batches.findLastIndex((b) => /^INSERT INTO \[?sales\]?\.\[?Orders\b/.test(b)),
      batches.findLastIndex((b) => /^INSERT INTO \[?hr\]?\.\[?Employees\b/.test(b)),
    );
    assert.ok(lastInsert >= 0 && lastInsert < fn, 'loaded after the data, so the loader is never filtered mid-load');
    assert.ok(at(/^CREATE FULLTEXT/) > policy, 'before the full-text indexes');
  });

  test('the function is schema-bound with two-part names and filters only when mcp.email is set', () => {
    const [fn, policy] = SECURITY_POLICY_BATCHES as [string, string];
    assert.match(fn, /RETURNS TABLE\s+WITH SCHEMABINDING\s+AS RETURN/);
    assert.match(fn, /SESSION_CONTEXT\(N'mcp\.email'\) IS NULL/);
    assert.match(fn, /FROM \[hr\]\.\[Employees\] AS e/);
    assert.doesNotMatch(fn, /\bGO\b|\bdbo\.|FROM \[?Employees/);
    assert.match(
      policy,
      /ADD FILTER PREDICATE \[sales\]\.\[fn_OrderVisibleToCaller\]\(\[SalesRepID\]\) ON \[sales\]\.\[Orders\]\s+WITH \(STATE = ON\)/,
    );
  });
});
