import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startMeter } from '../../../src/research/outcome.ts';

describe('guard refusals as tool errors', () => {
  it('keeps the code and says the position once when the reason already names it', () => {
    const outcome = startMeter('sql').refused({
      ok: false,
      code: 'READ_ONLY_VIOLATION',
      reason: 'found DELETE at line 1, column 1.',
      hint: 'Rewrite it as a SELECT.',
      position: { line: 1, column: 1 },
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? '' : outcome.code, 'READ_ONLY_VIOLATION');
    const message = outcome.ok ? '' : outcome.message;
    assert.equal(message.match(/line 1, column 1/g)?.length, 1);
    assert.match(message, /Rewrite it as a SELECT\.$/);
  });

  it('adds the position when the reason does not carry it', () => {
    const outcome = startMeter('sql').refused({
      ok: false,
      code: 'SQL_PARSE_ERROR',
      reason: 'The query could not be parsed.',
      position: { line: 3, column: 14 },
    });
    assert.match(outcome.ok ? '' : outcome.message, /\(line 3, column 14\)/);
  });
});
