/**
 * Issue 10 items 11–12 over real sockets against the real server (sandbox, mssql driver): a
 * JSON-RPC batch is charged per message and capped, and a request body is refused at the limit
 * while it streams, whatever the transfer encoding, with the process's RSS measured around it.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { postJsonRpc } from '../helpers/post-json-rpc.ts';

const PER_MINUTE = 5;
let server: TestServer;

before(async () => {
  server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) } });
});
after(async () => {
  await server?.close();
});

const call = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'search', arguments: { query: 'SELECT TOP 1 OrderID FROM sales.Orders' } },
});

async function post(key: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await postJsonRpc(server.mcpUrl, key, body);
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('JSON-RPC batches are charged per message', () => {
  it(`a batch of ${PER_MINUTE} tool calls spends the whole ${PER_MINUTE}-per-minute budget: the next single call is 429`, async () => {
    const batch = await post(
      server.apiKey,
      Array.from({ length: PER_MINUTE }, (_, i) => call(i + 1)),
    );
    assert.equal(batch.status, 200);
    assert.equal((batch.json as unknown[]).length, PER_MINUTE);
    const next = await post(server.apiKey, call(99));
    assert.equal(next.status, 429);
    assert.equal((next.json as { error: { code: string } }).error.code, 'RATE_LIMITED');
  });

  const refused: Array<{ size: number; status: number; code: string }> = [
    { size: PER_MINUTE + 1, status: 429, code: 'RATE_LIMITED' },
    { size: 21, status: 400, code: 'BATCH_TOO_LARGE' },
    { size: 100, status: 400, code: 'BATCH_TOO_LARGE' },
  ];
  for (const { size, status, code } of refused) {
    it(`a batch of ${size} tool calls is refused whole with ${status} ${code}, none of it run`, async () => {
      const before = server.logs.filter((line) => line.msg === 'tool_call').length;
      const answer = await post(
        server.otherApiKey,
        Array.from({ length: size }, (_, i) => call(i + 1)),
      );
      assert.equal(answer.status, status);
      const body = answer.json as { error: { code: string | number; data?: { code: string } } };
      assert.equal(typeof body.error.code === 'string' ? body.error.code : body.error.data?.code, code);
      assert.equal(server.logs.filter((line) => line.msg === 'tool_call').length, before, 'no tool ran');
    });
  }
});

/**
 * Sends `totalBytes` of a JSON string body in 1 MB writes (chunked, or with a Content-Length),
 * stopping when the server answers or closes; returns the status (0 = closed without an answer),
 * how much was written and the largest RSS seen meanwhile.
 */
async function sendHuge(key: string, totalBytes: number, encoding: 'chunked' | 'content-length') {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  const headers: Record<string, string | number> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  if (encoding === 'content-length') headers['content-length'] = totalBytes;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    return await new Promise<{ status: number; written: number; peakRss: number; body: string }>((resolve) => {
      let written = 0;
      let done = false;
      const finish = (status: number, body = '') => {
        if (done) return;
        done = true;
        req.destroy();
        resolve({ status, written, peakRss, body });
      };
      const req = request(server.mcpUrl, { method: 'POST', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (data: string) => (body += data));
        res.on('end', () => finish(res.statusCode ?? 0, body));
        res.on('error', () => finish(res.statusCode ?? 0, body));
      });
      req.on('error', () => finish(0));
      const pump = () => {
        while (!done && written < totalBytes) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!done) req.end();
      };
      req.write('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"');
      pump();
    });
  } finally {
    clearInterval(sampler);
  }
}

describe('request bodies are limited while streaming', () => {
  for (const encoding of ['chunked', 'content-length'] as const) {
    it(`a 300 MB ${encoding} body is refused at the 1 MB limit with 413 PAYLOAD_TOO_LARGE; RSS stays within 100 MB`, {
      timeout: 120_000,
    }, async () => {
      const before = process.memoryUsage().rss;
      const result = await sendHuge(server.apiKey, 300 * 1024 * 1024, encoding);
      assert.equal(result.status, 413, `status ${result.status} after ${result.written} bytes`);
      const grew = (result.peakRss - before) / 1024 / 1024;
      assert.ok(grew < 100, `RSS grew by ${grew.toFixed(0)} MB`);
      assert.ok((process.memoryUsage().rss - before) / 1024 / 1024 < 100);
      assert.ok(result.written < 300 * 1024 * 1024, `the server stopped the upload (wrote ${result.written} bytes)`);
      assert.equal((JSON.parse(result.body) as { error: { data: { code: string } } }).error.data.code, 'PAYLOAD_TOO_LARGE');
    });
  }

  it('a body just under the limit still reaches the transport (a normal JSON-RPC answer)', async () => {
    const query = `SELECT TOP 1 OrderID FROM sales.Orders -- ${'x'.repeat(900_000)}`;
    const answer = await post(server.otherApiKey, { jsonrpc: '2.0', id: 7, method: 'tools/list', params: { pad: query } });
    assert.notEqual(answer.status, 413);
  });
});
