/**
 * Clients none of us wrote, against the real connector on the sandbox, directly and through the
 * real nginx (project templates, test-CA certificate): the SDK v2 client negotiating 2026-07-28
 * (`server/discover` first), the 1.x client speaking 2025-06-18 and 2025-11-25, MCP Inspector's
 * CLI and mcp-remote. Each lists the tools and calls `search` and `fetch`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { httpRequest } from '../../src/doctor/http.ts';
import { startDeployStack } from '../deploy/helpers/stack.ts';
import type { DeployStack } from '../deploy/helpers/stack.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const INSPECTOR = path.join(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const MCP_REMOTE = path.join(ROOT, 'node_modules/mcp-remote/dist/proxy.js');

let dir: string;
let stack: DeployStack;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'real-clients-'));
  stack = await startDeployStack(dir);
});

after(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Where a client connects: the connector's own socket, or nginx in front of it (https, test CA). */
const routes = () => [
  { name: 'directly', url: stack.server.mcpUrl.href, ca: undefined as string | undefined },
  { name: 'through nginx', url: `${stack.issuer}/mcp`, ca: stack.ca },
];

/** A fetch over node:https that trusts the test CA (global fetch cannot take one per call). */
function fetchWithCa(ca: string | undefined): typeof fetch | undefined {
  if (ca === undefined) return undefined;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const url = input instanceof Request ? input.url : String(input);
    const res = await httpRequest(
      url,
      { method: init?.method ?? 'GET', headers, ...(body === undefined ? {} : { body }) },
      { ca, timeoutMs: 30_000 },
    );
    const out = new Headers();
    for (const [key, value] of Object.entries(res.headers))
      if (value !== undefined) out.set(key, Array.isArray(value) ? value.join(', ') : value);
    const empty = res.status === 202 || res.status === 204 || res.status === 304;
    return new Response(empty ? null : res.body, { status: res.status, headers: out });
  }) as typeof fetch;
}

/**
 * The 1.x client always asks for its latest version (2025-11-25); to make it speak 2025-06-18,
 * its initialize request names that version instead. Everything after (the negotiated
 * `MCP-Protocol-Version` header) is the client's own doing.
 */
function askingFor(version: string, inner: typeof fetch | undefined): typeof fetch {
  const base = inner ?? fetch;
  return ((input: string | URL | Request, init?: RequestInit) => {
    if (typeof init?.body === 'string' && init.body.includes('"method":"initialize"')) {
      init = { ...init, body: init.body.replace(/"protocolVersion":"[^"]+"/, `"protocolVersion":"${version}"`) };
    }
    return base(input, init);
  }) as typeof fetch;
}

interface ToolLike {
  name: string;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean } | undefined;
}

function assertTools(tools: readonly ToolLike[]): void {
  assert.deepEqual(
    tools.map((tool) => tool.name),
    ['search', 'fetch'],
  );
  for (const tool of tools) {
    assert.deepEqual(
      tool.annotations,
      { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      tool.name,
    );
  }
}

interface CallResultLike {
  isError?: boolean | undefined;
  structuredContent?: unknown;
}

/** search "describe sales.Customers" → its first result's id → fetch: a real table document. */
async function searchThenFetch(callTool: (name: string, args: Record<string, string>) => Promise<CallResultLike>): Promise<void> {
  const found = await callTool('search', { query: 'describe sales.Customers' });
  assert.notEqual(found.isError, true, JSON.stringify(found));
  const results = (found.structuredContent as { results: { id: string; url: string }[] }).results;
  assert.ok(results.length > 0);
  const fetched = await callTool('fetch', { id: results[0]!.id });
  assert.notEqual(fetched.isError, true, JSON.stringify(fetched));
  const document = fetched.structuredContent as { id: string; text: string; url: string };
  assert.equal(document.id, results[0]!.id);
  assert.match(document.text, /CustomerID/i);
}

/** The protocol version the access log noted for each MCP POST since `since`. */
interface SdkClientLike {
  listTools(): Promise<{ tools: ToolLike[] }>;
  callTool(params: { name: string; arguments: Record<string, string> }): Promise<unknown>;
  close(): Promise<void>;
}

/** tools/list, then search and fetch, with a connected SDK client (either line); closes it. */
async function listSearchFetch(client: SdkClientLike): Promise<void> {
  try {
    assertTools((await client.listTools()).tools);
    await searchThenFetch((name, args) => client.callTool({ name, arguments: args }) as Promise<CallResultLike>);
  } finally {
    await client.close();
  }
}

function protocolsLogged(since: number): unknown[] {
  return stack.server.logs
    .slice(since)
    .filter((line) => line.msg === 'http_request' && line.method === 'POST' && /\/mcp$/.test(String(line.path)))
    .map((line) => line.mcp_protocol);
}

const KNOWN_VERSIONS = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'];

describe('real MCP clients against the sandbox, directly and through nginx', () => {
  for (const route of [0, 1]) {
    it(`SDK v2 client negotiates 2026-07-28 with server/discover first, lists tools, searches and fetches (${route === 0 ? 'directly' : 'through nginx'}; items 39, 40)`, async () => {
      const { url, ca } = routes()[route]!;
      const since = stack.server.logs.length;
      const client = new ClientV2({ name: 'e2e-v2', version: '1' }, { versionNegotiation: { mode: 'auto' } });
      const fetchFn = fetchWithCa(ca);
      await client.connect(
        new TransportV2(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${stack.apiKey}` } },
          ...(fetchFn ? { fetch: fetchFn } : {}),
        }),
      );
      assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
      await listSearchFetch(client);
      const logged = protocolsLogged(since);
      assert.ok(logged.length >= 4, JSON.stringify(logged));
      assert.ok(
        logged.every((version) => version === '2026-07-28'),
        JSON.stringify(logged),
      );
    });

    for (const version of ['2025-06-18', '2025-11-25']) {
      it(`SDK 1.x client speaking ${version}: initialize, tools, search and fetch (${route === 0 ? 'directly' : 'through nginx'})`, async () => {
        const { url, ca } = routes()[route]!;
        const since = stack.server.logs.length;
        const client = new ClientV1({ name: 'e2e-v1', version: '1' });
        await client.connect(
          new TransportV1(new URL(url), {
            requestInit: { headers: { authorization: `Bearer ${stack.apiKey}` } },
            fetch: askingFor(version, fetchWithCa(ca)),
          }),
        );
        await listSearchFetch(client);
        const logged = protocolsLogged(since);
        assert.ok(logged.length >= 4 && logged.every((v) => v === version), JSON.stringify(logged));
      });
    }

    it(`MCP Inspector CLI lists tools and calls search and fetch (${route === 0 ? 'directly' : 'through nginx'})`, async (t) => {
      const { url } = routes()[route]!;
      const since = stack.server.logs.length;
      const env = {
        ...process.env,
        NODE_EXTRA_CA_CERTS: stack.caPath,
        MCP_CATALOG_PATH: path.join(dir, 'inspector-catalog.json'),
        HOME: dir,
      };
      const inspector = async (...args: string[]) => {
        const { stdout } = await run(
          process.execPath,
          [INSPECTOR, '--cli', url, '--transport', 'http', '--header', `Authorization: Bearer ${stack.apiKey}`, ...args],
          { env, timeout: 60_000, maxBuffer: 4_000_000 },
        );
        return JSON.parse(stdout) as Record<string, unknown>;
      };
      assertTools((await inspector('--method', 'tools/list')).tools as ToolLike[]);
      await searchThenFetch(
        async (name, args) =>
          (await inspector(
            '--method',
            'tools/call',
            '--tool-name',
            name,
            ...Object.entries(args).flatMap(([k, v]) => ['--tool-arg', `${k}=${v}`]),
          )) as CallResultLike,
      );
      const logged = protocolsLogged(since);
      t.diagnostic(`Inspector spoke ${[...new Set(logged)].join(', ')}`);
      assert.ok(logged.length >= 3 && logged.every((v) => KNOWN_VERSIONS.includes(String(v))), JSON.stringify(logged));
    });

    it(`mcp-remote (stdio proxy, driven by the SDK stdio client) lists tools and calls search and fetch (${route === 0 ? 'directly' : 'through nginx'})`, async (t) => {
      const { url } = routes()[route]!;
      const since = stack.server.logs.length;
      const client = new ClientV1({ name: 'e2e-mcp-remote', version: '1' });
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [MCP_REMOTE, url, '--transport', 'http-only', '--header', `Authorization: Bearer ${stack.apiKey}`],
        env: {
          ...(process.env as Record<string, string>),
          NODE_EXTRA_CA_CERTS: stack.caPath,
          MCP_REMOTE_CONFIG_DIR: path.join(dir, 'mcp-remote'),
        },
        stderr: 'pipe',
      });
      let stderr = '';
      transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        await client.connect(transport);
        await listSearchFetch(client);
      } catch (error) {
        await client.close();
        throw new Error(`mcp-remote failed: ${String(error)}\n${stderr.slice(-2000)}`);
      }
      const logged = protocolsLogged(since);
      t.diagnostic(`mcp-remote spoke ${[...new Set(logged)].join(', ')}`);
      assert.ok(logged.length >= 3 && logged.every((v) => KNOWN_VERSIONS.includes(String(v))), JSON.stringify(logged));
    });
  }
});
