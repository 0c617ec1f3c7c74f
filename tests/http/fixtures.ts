import type { AppConfig, AppDeps } from '../../src/app.ts';
import { createApp } from '../../src/app.ts';
import type { DbHealth } from '../../src/db/types.ts';
import { createLogger } from '../../src/logger.ts';
import type { FetchOutput, Outcome, Research, ResearchContext, SearchOutput } from '../../src/research/types.ts';

export const API_KEY = 'test-key-0123456789abcdef';
export const ORIGIN = 'https://data.example.com';

/**
 * A small real Research over an in-memory list of records (the seam's alternative
 * implementation for pure HTTP tests; the e2e suite uses the real one on the sandbox).
 * It records every context it was called with, so tests can check what the edge passed down.
 */
export function memoryResearch(options: { instructions?: () => Promise<string>; delayMs?: number } = {}): Research & {
  calls: { tool: string; input: string; ctx: ResearchContext }[];
} {
  const records = [
    { id: 'table:dbo.Customers', title: 'dbo.Customers (3 rows)', text: 'Customers who bought something' },
    { id: 'table:dbo.Orders', title: 'dbo.Orders (5 rows)', text: 'Orders placed by customers' },
  ];
  const calls: { tool: string; input: string; ctx: ResearchContext }[] = [];
  const stats = (form: string, rows: number) => ({ form, rows, bytes: 0, durationMs: 0 });
  const wait = async (signal: AbortSignal | undefined) => {
    if (!options.delayMs) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, options.delayMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    });
  };
  return {
    calls,
    async search(query, ctx): Promise<Outcome<SearchOutput>> {
      calls.push({ tool: 'search', input: query, ctx });
      await wait(ctx.signal);
      if (/^\s*(drop|delete|update|insert)\b/i.test(query)) {
        return { ok: false, code: 'READ_ONLY_VIOLATION', message: 'Only SELECT is allowed.', stats: stats('sql', 0) };
      }
      const words = query.toLowerCase().split(/\s+/);
      const results = records
        .filter((r) => words.some((w) => r.title.toLowerCase().includes(w)) || query === 'list tables')
        .map((r) => ({ id: r.id, title: r.title, url: `${ctx.publicBase}/records/${encodeURIComponent(r.id)}`, text: r.text }));
      return { ok: true, value: { results }, stats: stats('natural_language', results.length) };
    },
    async fetch(id, ctx): Promise<Outcome<FetchOutput>> {
      calls.push({ tool: 'fetch', input: id, ctx });
      const record = records.find((r) => r.id === id);
      if (!record) return { ok: false, code: 'NOT_FOUND', message: `Unknown id ${id}; search again.`, stats: stats('table', 0) };
      const url = `${ctx.publicBase}/records/${encodeURIComponent(id)}`;
      return {
        ok: true,
        value: { id, title: record.title, text: record.text, url, metadata: { kind: 'table' } },
        stats: stats('table', 1),
      };
    },
    instructions: options.instructions ?? (async () => 'A test database with customers and orders.'),
  };
}

export function dbUp(): { ping(): Promise<DbHealth> } {
  return { ping: async () => ({ ok: true, latencyMs: 1.5, pool: { size: 1, available: 1, borrowed: 0, pending: 0 } }) };
}

export function dbDown(): { ping(): Promise<DbHealth> } {
  return {
    ping: async () => ({ ok: false, latencyMs: 3, pool: { size: 0, available: 0, borrowed: 0, pending: 0 }, error: 'connection refused' }),
  };
}

export function testConfig(overrides: { server?: Partial<AppConfig['server']>; auth?: Partial<AppConfig['auth']> } = {}): AppConfig {
  return {
    server: {
      host: '127.0.0.1',
      port: 0,
      publicBaseUrl: ORIGIN,
      environmentPath: '/chatgpt',
      trustedProxies: ['127.0.0.0/8', '::1/128'],
      corsAllowedOrigins: [],
      rateLimitPerMinute: 1000,
      ...overrides.server,
    },
    auth: { apiKeys: [API_KEY], allowUnauthMethods: false, allowUnauthToolsCall: false, ...overrides.auth },
  };
}

/** Log lines the app wrote, parsed. */
export function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

export function testApp(overrides: Partial<AppDeps> & { peer?: string } = {}) {
  const research = memoryResearch();
  const { logger, lines } = memoryLogger();
  const peer = overrides.peer ?? '203.0.113.7';
  const app = createApp({
    config: testConfig(),
    research,
    db: dbUp(),
    logger,
    version: '0.0.0-test',
    publicOrigin: ORIGIN,
    peerAddress: () => peer,
    ...overrides,
  });
  return { app, research: (overrides.research as ReturnType<typeof memoryResearch>) ?? research, lines };
}

export const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
};

export function mcpPost(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${API_KEY}`,
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

/** Reads a Streamable HTTP answer whether it came as JSON or as an SSE stream. */
export async function rpcResult(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.headers.get('content-type')?.includes('text/event-stream')) {
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6));
    return JSON.parse(data[data.length - 1] ?? 'null') as Record<string, unknown>;
  }
  return JSON.parse(text) as Record<string, unknown>;
}
