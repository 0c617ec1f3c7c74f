import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CONTEXT_CHARS, sessionContextSql } from '../../../src/db/session-context.ts';
import { sessionIdentity } from '../../../src/mcp/call-context.ts';
import { createGuard } from '../../../src/sql-guard/index.ts';

describe('session context statements', () => {
  it('sets the five mcp.* keys read-only, values only as parameters', () => {
    const { sql, params } = sessionContextSql({
      subject: "x'; DROP TABLE t; --",
      email: 'a@corp.example',
      groups: ['g1'],
      clientId: 'c',
      requestId: 'r',
    });
    assert.equal(
      (sql.match(/EXEC sys\.sp_set_session_context @key = N'mcp\.[a-z_]+', @value = @mcp_ctx_[a-z_]+, @read_only = 1;/g) ?? []).length,
      5,
    );
    assert.ok(!sql.includes('DROP'), 'a value never enters the SQL text');
    assert.deepEqual(
      params.map((p) => [p.name, p.type, p.value]),
      [
        ['mcp_ctx_subject', 'nvarchar', "x'; DROP TABLE t; --"],
        ['mcp_ctx_email', 'nvarchar', 'a@corp.example'],
        ['mcp_ctx_groups', 'nvarchar', '["g1"]'],
        ['mcp_ctx_client_id', 'nvarchar', 'c'],
        ['mcp_ctx_request_id', 'nvarchar', 'r'],
      ],
    );
  });

  it('sets unknown keys to NULL and groups to an empty JSON array, so none can be claimed later', () => {
    const { params } = sessionContextSql({ subject: 'key:abc' });
    assert.deepEqual(
      params.map((p) => p.value),
      ['key:abc', null, '[]', null, null],
    );
  });

  it('keeps only whole groups within the size a sql_variant holds, as valid JSON', () => {
    const groups = Array.from({ length: 500 }, (_, i) => `group-with-a-long-name-${i}`);
    const value = sessionContextSql({ subject: 's', groups }).params[2]?.value as string;
    assert.ok(value.length <= MAX_CONTEXT_CHARS);
    const parsed = JSON.parse(value) as string[];
    assert.ok(parsed.length > 0 && parsed.length < groups.length);
    assert.deepEqual(parsed, groups.slice(0, parsed.length));
  });

  it("gives an API-key caller the key's label as subject and a signed-in person their own facts", () => {
    assert.deepEqual(sessionIdentity({ id: 'key:0123456789ab', kind: 'api_key', scopes: [] }, 'req-1'), {
      subject: 'key:0123456789ab',
      email: undefined,
      groups: undefined,
      clientId: undefined,
      requestId: 'req-1',
    });
    const person = sessionIdentity(
      { id: 'p', kind: 'oauth', subject: 'https://idp#alice', email: 'alice@corp.example', groups: ['sales'], clientId: 'cl', scopes: [] },
      'req-2',
    );
    assert.deepEqual(person, {
      subject: 'https://idp#alice',
      email: 'alice@corp.example',
      groups: ['sales'],
      clientId: 'cl',
      requestId: 'req-2',
    });
  });
});

describe('the guard and the session context', () => {
  const guard = createGuard({ maxLength: 20_000, rowCap: 50, denySchemas: [], denyTables: [] });
  for (const sql of [
    "EXEC sp_set_session_context @key = N'mcp.email', @value = N'boss@corp.example'",
    "EXEC sys.sp_set_session_context N'mcp.subject', N'x', 1",
    "SELECT 1; EXEC sp_set_session_context @key = N'mcp.email', @value = N'x'",
    'EXEC sp_reset_connection',
  ]) {
    it(`refuses user SQL that sets or resets the session: ${sql}`, () => {
      assert.equal(guard.check(sql).ok, false);
    });
  }
  it('allows reading SESSION_CONTEXT in a SELECT', () => {
    assert.equal(guard.check("SELECT SESSION_CONTEXT(N'mcp.email') AS email").ok, true);
  });
});
