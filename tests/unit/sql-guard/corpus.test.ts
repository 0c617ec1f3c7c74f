import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupBy, loadCorpus, openGuard } from './corpus.ts';

const guard = openGuard();

describe('valid corpus: every read-only query is accepted', () => {
  const lines = loadCorpus('valid');
  for (const [feature, group] of groupBy(lines, (l) => l.features?.[0] ?? 'other')) {
    test(`accepts every "${feature}" statement (${group.length})`, () => {
      const failures = group.flatMap((l) => {
        const v = guard.check(l.sql);
        return v.ok ? [] : [`${l.id}: ${v.code} ${v.reason}`];
      });
      assert.deepEqual(failures, []);
    });
  }

  test('the SQL of every accepted statement is accepted again, unchanged (the rewrite is stable)', () => {
    const failures = lines.flatMap((l) => {
      const first = guard.check(l.sql);
      if (!first.ok) return [`${l.id}: refused`];
      const second = guard.check(first.sql);
      if (!second.ok) return [`${l.id}: regenerated SQL refused: ${second.reason}`];
      return second.sql === first.sql ? [] : [`${l.id}: ${first.sql} became ${second.sql}`];
    });
    assert.deepEqual(failures, []);
  });
});

describe('refuse corpus: every write, escape and differential is refused', () => {
  const lines = loadCorpus('refuse');
  for (const [technique, group] of groupBy(lines, (l) => l.technique ?? 'other')) {
    test(`refuses ${technique} (${group.map((l) => l.id).join(', ')})`, () => {
      const accepted = group.flatMap((l) => {
        const v = guard.check(l.sql);
        return v.ok ? [`${l.id}: accepted as ${v.sql}`] : [];
      });
      assert.deepEqual(accepted, []);
    });
  }

  test('every refusal carries a stable code, a reason and a position or hint for the model', () => {
    for (const l of lines) {
      const v = guard.check(l.sql);
      assert.equal(v.ok, false, l.id);
      if (v.ok) continue;
      assert.ok(['READ_ONLY_VIOLATION', 'SQL_PARSE_ERROR', 'SQL_TOO_LONG', 'OBJECT_NOT_ALLOWED'].includes(v.code), l.id);
      assert.ok(v.reason.length > 20, l.id);
      assert.ok(v.position !== undefined || v.hint !== undefined, l.id);
    }
  });
});
