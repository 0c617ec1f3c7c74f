import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a tool call ended, as counted by `mcp_tool_calls_total{outcome}`. */
export type ToolOutcome = 'ok' | 'tool_error' | 'refused' | 'timeout' | 'auth_denied' | 'rate_limited';

/** OAuth events counted by `mcp_oauth_events_total{event}`. */
export type OAuthEvent = 'client_registered' | 'signin_ok' | 'signin_failed' | 'token_issued' | 'token_refreshed' | 'token_revoked';

/** Read at scrape time; each source is optional. */
export interface GaugeSources {
  db?: () => { inUse: number; waiting: number; poolSize: number; poolBorrowed: number };
  /** Asynchronous: the cache may live in Redis (a failed read leaves the gauge unset). */
  cache?: () => Promise<{ entries: number; bytes: number }>;
  sseStreams?: () => number;
}

/**
 * The seam every component reports to. Labels are bounded by construction: tool names come from
 * the tool registry, codes and outcomes from closed unions; never a user, a client id or a query.
 */
export interface Metrics {
  toolCall(tool: string, outcome: ToolOutcome, seconds?: number): void;
  guardRefusal(code: string): void;
  dbQuery(outcome: string, seconds: number): void;
  cacheLookup(hit: boolean): void;
  oauthEvent(event: OAuthEvent): void;
  observe(sources: GaugeSources): void;
  /** The Prometheus exposition (text format) and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Metrics off (METRICS_PORT unset): every call is a no-op. */
export const NO_METRICS: Metrics = {
  toolCall() {},
  guardRefusal() {},
  dbQuery() {},
  cacheLookup() {},
  oauthEvent() {},
  observe() {},
  render: async () => ({ contentType: 'text/plain', body: '' }),
};

/** Seconds buckets for tool calls and queries: 5 ms … 60 s (QUERY_TIMEOUT_MS defaults to 15 s). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

/**
 * Prometheus metrics on their own registry (not prom-client's global one), with the process
 * metrics of `collectDefaultMetrics` (CPU, memory, event-loop lag, GC, handles).
 */
export function createPromMetrics(options: { knownTools: readonly string[] }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const known = new Set(options.knownTools);
  const toolLabel = (tool: string): string => (known.has(tool) ? tool : 'unknown');
  let sources: GaugeSources = {};

  const toolCalls = new Counter({
    name: 'mcp_tool_calls_total',
    help: 'MCP tools/call requests by tool and outcome.',
    labelNames: ['tool', 'outcome'],
    registers: [registry],
  });
  const toolDuration = new Histogram({
    name: 'mcp_tool_call_duration_seconds',
    help: 'Duration of tool calls that reached the tool (all outcomes but auth_denied and rate_limited).',
    labelNames: ['tool'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'mcp_guard_refusals_total',
    help: 'SQL refused by the read-only guard, by stable code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const queryDuration = new Histogram({
    name: 'mcp_db_query_duration_seconds',
    help: 'Duration of database queries (waiting for a slot included), by outcome (ok or the error code).',
    labelNames: ['outcome'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: 'mcp_cache_lookups_total',
    help: 'Result-cache lookups by result (hit or miss).',
    labelNames: ['result'],
    registers: [registry],
  });
  const oauthEvents = new Counter({
    name: 'mcp_oauth_events_total',
    help: 'OAuth events: registrations, sign-ins, tokens issued, refreshed and revoked.',
    labelNames: ['event'],
    registers: [registry],
  });
  new Gauge({
    name: 'mcp_db_queries',
    help: 'Database query slots: in use (running) and waiting for a slot.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const db = sources.db?.();
      if (!db) return;
      this.set({ state: 'in_use' }, db.inUse);
      this.set({ state: 'waiting' }, db.waiting);
    },
  });
  new Gauge({
    name: 'mcp_db_pool_connections',
    help: 'Connections of the mssql pool: open (size) and borrowed.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const db = sources.db?.();
      if (!db) return;
      this.set({ state: 'open' }, db.poolSize);
      this.set({ state: 'borrowed' }, db.poolBorrowed);
    },
  });
  new Gauge({
    name: 'mcp_cache_bytes',
    help: 'Approximate bytes held by the result cache.',
    registers: [registry],
    async collect() {
      const cache = await sources.cache?.().catch(() => undefined);
      if (cache) this.set(cache.bytes);
    },
  });
  new Gauge({
    name: 'mcp_cache_entries',
    help: 'Entries held by the result cache.',
    registers: [registry],
    async collect() {
      const cache = await sources.cache?.().catch(() => undefined);
      if (cache) this.set(cache.entries);
    },
  });
  new Gauge({
    name: 'mcp_sse_streams',
    help: 'Open legacy SSE streams (GET /sse).',
    registers: [registry],
    collect() {
      if (sources.sseStreams) this.set(sources.sseStreams());
    },
  });

  return {
    toolCall(tool, outcome, seconds) {
      const label = toolLabel(tool);
      toolCalls.inc({ tool: label, outcome });
      if (seconds !== undefined) toolDuration.observe({ tool: label }, seconds);
    },
    guardRefusal: (code) => refusals.inc({ code }),
    dbQuery: (outcome, seconds) => queryDuration.observe({ outcome }, seconds),
    cacheLookup: (hit) => cacheLookups.inc({ result: hit ? 'hit' : 'miss' }),
    oauthEvent: (event) => oauthEvents.inc({ event }),
    observe(next) {
      sources = { ...sources, ...next };
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
