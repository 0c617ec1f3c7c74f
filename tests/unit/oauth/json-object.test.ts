import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonObject } from '../../../src/oauth/core/json-object.ts';

describe('parseJsonObject: a JSON body that must be an object, each member name once per object', () => {
  for (const [label, text] of [
    ['a flat object', '{"a":1,"b":"x"}'],
    ['the same name in sibling objects', '{"a":{"k":1},"b":{"k":2}}'],
    ['the same name in objects of one array', '{"keys":[{"kty":"EC"},{"kty":"RSA"}]}'],
    ['a name repeated only inside a string value', '{"a":"\\"a\\":1,{\\"a\\":2}","b":"}{,"}'],
    ['a key after a nested array closes', '{"a":[1,[2,{"a":3}]],"b":{"c":[]}}'],
    ['an empty object and whitespace', ' { } '],
  ] as const) {
    it(`accepts ${label}`, () => {
      const verdict = parseJsonObject(text);
      assert.ok(verdict.ok, JSON.stringify(verdict));
      assert.deepEqual(verdict.value, JSON.parse(text));
    });
  }

  for (const [label, text, reason] of [
    ['a repeated top-level name', '{"a":1,"b":2,"a":3}', 'Member "a" is repeated'],
    ['a repeated name in a nested object', '{"a":{"x":1,"y":{"z":1,"z":2}}}', 'Member "z" is repeated'],
    ['a repeated name in an object inside an array', '{"keys":[{"k":1},{"k":1,"k":2}]}', 'Member "k" is repeated'],
    ['a repeated name spelled with an escape', '{"ab":1,"a\\u0062":2}', 'Member "ab" is repeated'],
    ['a repeated name after a string holding a backslash', '{"p":"c:\\\\","q":1,"q":2}', 'Member "q" is repeated'],
    ['invalid JSON', '{"a":', 'The body is not valid JSON'],
    ['an array', '[{"a":1}]', 'The body must be a JSON object'],
    ['a number', '42', 'The body must be a JSON object'],
    ['null', 'null', 'The body must be a JSON object'],
  ] as const) {
    it(`refuses ${label}`, () => {
      assert.deepEqual(parseJsonObject(text), { ok: false, reason });
    });
  }

  it('does not echo a long repeated name in full', () => {
    const name = 'n'.repeat(5000);
    const verdict = parseJsonObject(`{"${name}":1,"${name}":2}`);
    assert.ok(!verdict.ok && verdict.reason.length < 200, JSON.stringify(verdict).slice(0, 300));
  });
});
