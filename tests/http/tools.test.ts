import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_KEY, INIT, mcpPost, memoryResearch, rpcResult, testApp } from './fixtures.ts';

type Tool = { name: string; title?: string; description?: string; inputSchema: any; outputSchema?: any; annotations?: any };

async function call(app: ReturnType<typeof testApp>['app'], name: string, args: Record<string, unknown>) {
  const response = await app.request('/mcp', mcpPost({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name, arguments: args } }));
  return ((await rpcResult(response)) as { result: any }).result;
}

describe('tools contract (items 33-34)', () => {
  it('lists exactly search and fetch with the Deep Research schemas, titles, descriptions and read-only annotations', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    const tools = ((await rpcResult(response)) as { result: { tools: Tool[] } }).result.tools;
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
    const expected: Record<string, string> = { search: 'query', fetch: 'id' };
    for (const tool of tools) {
      const field = expected[tool.name]!;
      assert.deepEqual(tool.inputSchema.required, [field]);
      assert.equal(tool.inputSchema.properties[field].type, 'string');
      assert.ok(tool.title && tool.title.length > 0);
      assert.ok(tool.description && tool.description.length > 80, 'a description written for a model');
      assert.deepEqual(
        {
          readOnlyHint: tool.annotations.readOnlyHint,
          destructiveHint: tool.annotations.destructiveHint,
          openWorldHint: tool.annotations.openWorldHint,
        },
        { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
      );
      assert.equal(tool.outputSchema?.type, 'object');
    }
    const search = tools.find((tool) => tool.name === 'search')!;
    assert.ok(search.outputSchema.properties.results);
    assert.deepEqual(search.outputSchema.oneOf, [{ required: ['results'] }, { required: ['error'] }]);
    const fetch = tools.find((tool) => tool.name === 'fetch')!;
    assert.deepEqual([...fetch.outputSchema.oneOf[0].required].sort(), ['id', 'metadata', 'text', 'title', 'url']);
    assert.deepEqual(fetch.outputSchema.oneOf[1], { required: ['error'] });
  });

  it('gives the server instructions from research at initialize', async () => {
    const { app } = testApp({ research: memoryResearch({ instructions: async () => 'Holds Sales.Orders and HR.People.' }) });
    const body = (await rpcResult(await app.request('/mcp', mcpPost(INIT)))) as { result: { instructions: string } };
    assert.equal(body.result.instructions, 'Holds Sales.Orders and HR.People.');
  });

  it('falls back to generic instructions when research cannot describe the database', async () => {
    const { app } = testApp({
      research: memoryResearch({
        instructions: async () => {
          throw new Error('db down');
        },
      }),
    });
    const body = (await rpcResult(await app.request('/mcp', mcpPost(INIT)))) as { result: { instructions: string } };
    assert.match(body.result.instructions, /search/);
  });

  it('returns search results as structuredContent and as one identical JSON text item with absolute URLs', async () => {
    const { app } = testApp();
    const result = await call(app, 'search', { query: 'list tables' });
    assert.equal(result.isError, undefined);
    assert.equal(result.content.length, 1);
    assert.equal(result.content[0].type, 'text');
    assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
    assert.ok(result.structuredContent.results.length > 0);
    for (const item of result.structuredContent.results) {
      assert.match(item.url, /^https:\/\/data\.example\.com\/chatgpt\/records\/.+/);
    }
  });

  it('returns a fetched document in the same dual form', async () => {
    const { app } = testApp();
    const result = await call(app, 'fetch', { id: 'table:dbo.Orders' });
    assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
    assert.equal(result.structuredContent.id, 'table:dbo.Orders');
    assert.ok(result.structuredContent.url.startsWith('https://'));
  });

  it('turns an unknown id into a tool error with a stable code in structuredContent', async () => {
    const { app } = testApp();
    const result = await call(app, 'fetch', { id: 'nope' });
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent.error.code, 'NOT_FOUND');
    assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  });

  it('turns a refusal into a tool error carrying the refusal code and logs one line without the query', async () => {
    const { app, lines } = testApp();
    const query = 'DROP TABLE dbo.Orders';
    const result = await call(app, 'search', { query });
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent.error.code, 'READ_ONLY_VIOLATION');
    const logged = lines.filter((line) => line.msg === 'tool_call');
    assert.equal(logged.length, 1);
    const line = logged[0]!;
    assert.equal(line.tool, 'search');
    assert.equal(line.code, 'READ_ONLY_VIOLATION');
    assert.equal(line.verdict, 'error');
    assert.equal(line.input_length, query.length);
    assert.match(String(line.input_hmac), /^[0-9a-f]{32}$/);
    assert.ok(
      !JSON.stringify(line).includes(createHash('sha256').update(query).digest('hex').slice(0, 16)),
      'no unkeyed hash of the query',
    );
    assert.match(String(line.principal), /^key:/);
    assert.ok(typeof line.request_id === 'string' && typeof line.duration_ms === 'number');
    assert.doesNotMatch(JSON.stringify(lines), /DROP TABLE/);
  });

  it('turns a research crash into a generic tool error, not a transport failure', async () => {
    const research = memoryResearch();
    research.search = async () => {
      throw new Error('driver: socket hang up at 10.1.1.1');
    };
    const { app } = testApp({ research });
    const result = await call(app, 'search', { query: 'x' });
    assert.equal(result.isError, true);
    assert.equal(result.structuredContent.error.code, 'QUERY_FAILED');
    assert.doesNotMatch(JSON.stringify(result), /10\.1\.1\.1/);
  });

  it('rejects a call without the required argument as a tool error', async () => {
    const { app } = testApp();
    const result = await call(app, 'search', {});
    assert.equal(result.isError, true);
  });

  it('serves a cited record URL as JSON to a bearer caller when OAuth is off, never publicly', async () => {
    const { app } = testApp();
    const url = new URL((await call(app, 'search', { query: 'list tables' })).structuredContent.results[0].url);
    assert.equal((await app.request(url.pathname)).status, 401);
    const response = await app.request(url.pathname, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(response.status, 200);
    const record = (await response.json()) as { id: string; url: string };
    assert.equal(record.url, url.href);
    assert.equal((await app.request('/chatgpt/records/table%3Anope', { headers: { authorization: `Bearer ${API_KEY}` } })).status, 404);
  });
});
