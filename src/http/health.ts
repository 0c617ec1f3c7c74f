import { Hono } from 'hono';
import type { Db } from '../db/types.ts';
import { MODERN_PROTOCOL_VERSION, TOOL_NAMES } from '../mcp/server.ts';
import type { StateStoreHealth } from '../state/redis.ts';
import type { AppEnv } from './context.ts';
import { corsPublic } from './cors.ts';
import { createHealthProbe } from './health-probe.ts';

export interface HealthDeps {
  db: Pick<Db, 'ping'>;
  version: string;
  oauth: boolean;
  /** Longest a database check may take before it counts as down. */
  pingTimeoutMs?: number;
  /** At most one database probe per this many ms, whatever the traffic (default 5 s). */
  probeIntervalMs?: number;
  /** The shared state store's connection (STATE_STORE_URL); absent = state is this process's own. */
  stateStore?: () => StateStoreHealth;
}

/** Clients this server is built and tested to work with (informational). */
export const COMPATIBLE_WITH: readonly string[] = [
  'chatgpt-connectors',
  'chatgpt-deep-research',
  'openai-responses-api',
  'claude-custom-connectors',
  'mcp-inspector',
  'mcp-remote',
];

/**
 * `GET /health`: readiness from the last database check — 200 `status: "ok"`, or 503
 * `status: "degraded"` when the database did not answer (within `pingTimeoutMs`) or the shared
 * state store (when configured) is not connected (its connection state, read live: no round trip).
 * The database check runs at most once per `probeIntervalMs` however many callers ask (see
 * `createHealthProbe`).
 * `GET /healthz`: liveness only, never touches the database (a container restart would not fix
 * a database outage). Both are public: no auth, no secrets (the db error is a short,
 * secret-free reason by the Db contract).
 */
export function healthRoutes(deps: HealthDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const probe = createHealthProbe({ db: deps.db, timeoutMs: deps.pingTimeoutMs ?? 5_000, intervalMs: deps.probeIntervalMs ?? 5_000 });
  routes.use('/health', corsPublic());
  routes.use('/healthz', corsPublic());

  routes.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version }, 200, { 'Cache-Control': 'no-store' }));

  routes.get('/health', async (c) => {
    const database = await probe();
    const stateStore = deps.stateStore?.();
    const ok = database.ok && (stateStore?.ok ?? true);
    const prefix = c.get('publicPrefix');
    const body = {
      status: ok ? 'ok' : 'degraded',
      transport: {
        streamable_http: [`${prefix}/mcp`, `${prefix}/sse`],
        legacy_sse: { stream: `${prefix}/sse`, messages: `${prefix}/messages` },
      },
      oauth: deps.oauth,
      database: {
        ok: database.ok,
        latencyMs: Math.round(database.latencyMs * 10) / 10,
        pool: database.pool,
        ...(database.error ? { error: database.error } : {}),
      },
      ...(stateStore ? { state_store: stateStore } : {}),
      mcp_version: MODERN_PROTOCOL_VERSION,
      tools: TOOL_NAMES,
      compatible_with: COMPATIBLE_WITH,
      version: deps.version,
    };
    return c.json(body, ok ? 200 : 503, { 'Cache-Control': 'no-store' });
  });
  return routes;
}
