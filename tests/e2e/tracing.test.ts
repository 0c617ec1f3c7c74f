import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TestDatabase } from '../helpers/database.ts';
import { startTestDatabase } from '../helpers/database.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP JSON receiver: collects every span POSTed to /v1/traces, with the request's content type. */
async function startReceiver(): Promise<{
  url: string;
  spans: OtlpSpan[];
  contentTypes: string[];
  services: string[];
  close(): Promise<void>;
}> {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const services: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      contentTypes.push(String(request.headers['content-type']));
      if (request.url === '/v1/traces' && String(request.headers['content-type']).startsWith('application/json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const resource of body.resourceSpans) {
          const name = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
          if (typeof name === 'string') services.push(name);
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    contentTypes,
    services,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const attr = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : (value.stringValue ?? value.intValue ?? value.boolValue);
};

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

function toolsCall(
  server: TestServer,
  id: number,
  query: string,
  options: { meta?: Record<string, unknown>; headers?: Record<string, string> } = {},
) {
  return fetch(server.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${server.apiKey}`,
      ...options.headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'search', arguments: { query }, ...(options.meta ? { _meta: options.meta } : {}) },
    }),
  });
}

describe('OpenTelemetry traces over OTLP/HTTP (json and protobuf)', () => {
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: TestServer;
  before(async () => {
    database = await startTestDatabase();
    receiver = await startReceiver();
    server = await startTestServer({
      database,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'connector-under-test',
      },
    });
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
    await database?.close();
  });

  it('continues the trace of params._meta.traceparent with a tools/call span and a child span per query', async () => {
    const traceId = hex(16);
    const parent = hex(8);
    const response = await toolsCall(server, 41, 'SELECT TOP 3 OrderID FROM sales.Orders', {
      meta: { traceparent: `00-${traceId}-${parent}-01` },
      headers: { 'mcp-protocol-version': '2025-06-18', traceparent: `00-${hex(16)}-${hex(8)}-01` },
    });
    assert.equal(response.status, 200);
    const tool = await until(() => receiver.spans.find((s) => s.traceId === traceId && s.name === 'tools/call search'), 'the tool span');
    assert.equal(tool.parentSpanId, parent);
    assert.equal(tool.kind, 2, 'SERVER');
    assert.equal(attr(tool, 'mcp.method.name'), 'tools/call');
    assert.equal(attr(tool, 'gen_ai.tool.name'), 'search');
    assert.equal(attr(tool, 'gen_ai.operation.name'), 'execute_tool');
    assert.equal(attr(tool, 'mcp.protocol.version'), '2025-06-18');
    assert.equal(attr(tool, 'jsonrpc.request.id'), '41');
    assert.equal(attr(tool, 'error.type'), undefined);
    const query = await until(() => receiver.spans.find((s) => s.traceId === traceId && s.parentSpanId === tool.spanId), 'the query span');
    assert.equal(query.kind, 3, 'CLIENT');
    assert.equal(attr(query, 'db.system.name'), 'mssql');
    assert.equal(attr(query, 'db.namespace'), database.database);
    assert.equal(attr(query, 'db.operation.name'), 'SELECT');
    assert.equal(attr(query, 'db.query.text'), undefined, 'no query text unless OTEL_CAPTURE_QUERY_TEXT=true');
    assert.ok(receiver.services.includes('connector-under-test'));
    assert.ok(receiver.contentTypes.length > 0 && receiver.contentTypes.every((type) => type.startsWith('application/json')));
  });

  it('takes the parent from the HTTP traceparent header when _meta has none', async () => {
    const traceId = hex(16);
    const parent = hex(8);
    assert.equal(
      (await toolsCall(server, 'h-1' as unknown as number, 'list tables', { headers: { traceparent: `00-${traceId}-${parent}-01` } }))
        .status,
      200,
    );
    const tool = await until(() => receiver.spans.find((s) => s.traceId === traceId && s.name === 'tools/call search'), 'the tool span');
    assert.equal(tool.parentSpanId, parent);
    assert.equal(attr(tool, 'jsonrpc.request.id'), 'h-1');
  });

  it('marks a tool error with error.type=tool_error', async () => {
    const traceId = hex(16);
    await toolsCall(server, 7, 'DROP TABLE sales.Orders', { meta: { traceparent: `00-${traceId}-${hex(8)}-01` } });
    const tool = await until(() => receiver.spans.find((s) => s.traceId === traceId), 'the tool span');
    assert.equal(attr(tool, 'error.type'), 'tool_error');
  });

  it('starts a new trace (no parent) for a call without trace context', async () => {
    const before = receiver.spans.length;
    await toolsCall(server, 8, 'list tables');
    const tool = await until(() => receiver.spans.slice(before).find((s) => s.name === 'tools/call search'), 'the tool span');
    assert.ok(tool.parentSpanId === undefined || tool.parentSpanId === '');
  });

  it('puts the SQL on query spans only with OTEL_CAPTURE_QUERY_TEXT=true', async () => {
    const capturing = await startTestServer({
      database,
      env: {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_CAPTURE_QUERY_TEXT: 'true',
      },
    });
    try {
      const traceId = hex(16);
      await toolsCall(capturing, 9, 'SELECT TOP 1 CustomerID FROM sales.Customers', {
        meta: { traceparent: `00-${traceId}-${hex(8)}-01` },
      });
      const query = await until(
        () => receiver.spans.find((s) => s.traceId === traceId && attr(s, 'db.system.name') === 'mssql'),
        'the query span',
      );
      assert.match(String(attr(query, 'db.query.text')), /CustomerID/);
    } finally {
      await capturing.close();
    }
  });

  it("exports OTLP http/protobuf, the specification's default protocol, when no protocol is set", async () => {
    const protobuf = await startTestServer({ database, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    try {
      const before = receiver.contentTypes.length;
      await toolsCall(protobuf, 10, 'list tables');
      await until(() => receiver.contentTypes.slice(before).find((type) => type === 'application/x-protobuf'), 'a protobuf export');
    } finally {
      await protobuf.close();
    }
  });
});
