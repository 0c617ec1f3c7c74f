/**
 * Test harness for the OAuth routes: a small app that mounts them the way the server does, behind
 * an nginx-like edge that strips the `/chatgpt` prefix (root `/.well-known/…` paths pass unchanged),
 * a cookie-keeping browser, and an HTML form reader for submitting the real sign-in/consent forms.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { TokenVerifier } from '../../src/auth/verifier.ts';
import { oauthConfigFromEnv, oauthEnvSchema, type OAuthConfig } from '../../src/oauth/core/env.ts';
import { createOAuth, type OAuth, type OAuthDeps } from '../../src/oauth/http/index.ts';
import { hashPassword } from '../../src/oauth/core/password.ts';
import { createMemoryStore } from '../../src/oauth/core/store-memory.ts';
import type { EmbeddedOAuthStore } from '../../src/oauth/core/types.ts';
import { prmUrlFor } from '../../src/oauth/core/urls.ts';
import type { Research } from '../../src/research/types.ts';
import { testConfig as appTestConfig, testApp } from '../http/fixtures.ts';

export const ORIGIN = 'https://data.example.com';
export const PREFIX = '/chatgpt';
export const BASE = `${ORIGIN}${PREFIX}`;
export const USER = 'ann';
export const PASSWORD = 'correct horse battery staple';

let cachedHash: Promise<string> | undefined;
/** One cheap (N = 2^10) hash per test process, so sign-in tests stay fast. */
export function operatorHash(): Promise<string> {
  cachedHash ??= hashPassword(PASSWORD, 10);
  return cachedHash;
}

export async function testConfig(env: Record<string, string> = {}): Promise<OAuthConfig> {
  return oauthConfigFromEnv(oauthEnvSchema.parse({ AUTH_USERS: `${USER}:${await operatorHash()}`, ...env }));
}

export interface SteppingClock {
  now(): number;
  advance(ms: number): void;
}

export function steppingClock(start = Date.UTC(2026, 0, 1)): SteppingClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface LogLine {
  level: 'info' | 'warn';
  event: string;
  fields: Record<string, unknown>;
}

export function memoryLogger(): { lines: LogLine[]; info: OAuthDeps['logger']['info']; warn: OAuthDeps['logger']['warn'] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (event, fields = {}) => void lines.push({ level: 'info', event, fields }),
    warn: (event, fields = {}) => void lines.push({ level: 'warn', event, fields }),
  };
}

/**
 * A protected MCP-like route, standing in for the server's bearer middleware: 401 with the RFC 9728
 * challenge, 401 invalid_token, 403 insufficient_scope, tokens in the query refused.
 */
export function protectedRoute(verifier: TokenVerifier, base: string): Hono {
  const app = new Hono();
  app.all('/mcp', async (c) => {
    const challenge = (extra: string) => `Bearer resource_metadata="${prmUrlFor(base, '/mcp')}", scope="mssql:read"${extra}`;
    if (new URL(c.req.url).searchParams.has('access_token')) {
      c.header('WWW-Authenticate', challenge(', error="invalid_request"'));
      return c.json({ error: 'invalid_request' }, 400);
    }
    const header = c.req.header('Authorization');
    if (!header?.startsWith('Bearer ')) {
      c.header('WWW-Authenticate', challenge(''));
      return c.json({ error: 'unauthorized' }, 401);
    }
    const result = await verifier.verify(header.slice(7), { resource: `${base}/mcp` });
    if (!result || !result.ok) {
      const error = result?.error ?? 'invalid_token';
      c.header('WWW-Authenticate', challenge(`, error="${error}"`));
      return c.json({ error }, error === 'insufficient_scope' ? 403 : 401);
    }
    return c.json({ principal: result.principal });
  });
  return app;
}

export interface Harness {
  oauth: OAuth;
  store: EmbeddedOAuthStore;
  clock: SteppingClock;
  logger: ReturnType<typeof memoryLogger>;
  app: Hono;
  /** Fetch as a client on the internet sees the server: `https://data.example.com/chatgpt/...`. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

/** Builds the OAuth routes over a memory store (or `store`) and mounts them like the server does. */
export async function createHarness(
  options: {
    store?: EmbeddedOAuthStore;
    clock?: SteppingClock;
    env?: Record<string, string>;
    withRecords?: boolean;
    /** Public base of the deployment; default `https://data.example.com/chatgpt`. */
    publicBase?: string;
    /** Seams of the guarded outbound fetch (test CA, resolver, exempt test-server address). */
    outbound?: OAuthDeps['outbound'];
    /** The fetch openid-client uses to reach the company IdP (attack tests tamper with answers). */
    oidcFetch?: OAuthDeps['oidcFetch'];
    /**
     * `app`: mount the OAuth server into the real application (`createApp`, its bearer middleware
     * and MCP routes), so the resource-server checks exercise the product's own auth path.
     * Default: the small stand-in route below (kept for flows that only need "is this token accepted").
     */
    edge?: 'app' | 'stand-in';
    /** With `edge: 'app'`: the Research behind the MCP tools (default: a small in-memory one). */
    research?: Research;
  } = {},
): Promise<Harness> {
  const base = options.publicBase ?? BASE;
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  const store = options.store ?? createMemoryStore();
  const clock = options.clock ?? steppingClock();
  const logger = memoryLogger();
  const oauth = createOAuth({
    store,
    clock,
    config: await testConfig(options.env),
    logger,
    publicBase: () => base,
    clientIp: (c) => c.req.header('x-test-peer') ?? '127.0.0.1',
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.oidcFetch ? { oidcFetch: options.oidcFetch } : {}),
    ...(options.withRecords === false
      ? {}
      : {
          renderRecord: async (id: string, context: { principal: { subject?: string; admin?: boolean } }) =>
            id === 'missing'
              ? null
              : {
                  title: `Record ${id}`,
                  text: `<b>row</b> for ${context.principal.subject}${context.principal.admin ? ' (any cached result)' : ''}`,
                },
        }),
  });
  await oauth.ready;
  const app = new Hono();
  app.route('/', oauth.routes);
  app.route('/', protectedRoute(oauth.verifier, base));
  const served =
    options.edge === 'app'
      ? (testApp({
          config: appTestConfig({ server: { publicBaseUrl: new URL(base).origin, environmentPath: prefix }, auth: { apiKeys: [] } }),
          publicOrigin: new URL(base).origin,
          oauth,
          ...(options.research ? { research: options.research } : {}),
        }).app as unknown as Hono)
      : app;
  const fetch = async (url: string, init?: RequestInit) => served.request(prefix ? stripPrefix(url, prefix) : url, init);
  return { oauth, store, clock, logger, app: served, fetch };
}

/** What nginx does: `/chatgpt/x` reaches the app as `/x`; other paths pass unchanged. */
export function stripPrefix(url: string, prefix = PREFIX): string {
  const parsed = new URL(url);
  if (parsed.pathname === prefix || parsed.pathname.startsWith(`${prefix}/`)) {
    parsed.pathname = parsed.pathname.slice(prefix.length) || '/';
  }
  return parsed.href;
}

/** A cookie-keeping browser over any fetch function (no automatic redirects). */
export function browser(fetcher: (url: string, init?: RequestInit) => Promise<Response>) {
  const jar = new Map<string, string>();
  return {
    jar,
    async go(url: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const response = await fetcher(url, { ...init, headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (pair && eq > 0) {
          const value = pair.slice(eq + 1);
          if (/max-age=0/i.test(line) || value === '') jar.delete(pair.slice(0, eq));
          else jar.set(pair.slice(0, eq), value);
        }
      }
      return response;
    },
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (value: string) => value.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);
const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1] ?? '', unescapeHtml(m[2] ?? '')]));

export interface ParsedForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  buttons: Array<{ name: string; value: string }>;
}

/** Reads the first <form> of a page: its action, hidden/text inputs and submit buttons. */
export function parseForm(page: string): ParsedForm {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no form in page: ${page.slice(0, 300)}`);
  const formAttrs = attrs(form[1] ?? '');
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
    const a = attrs(input[1] ?? '');
    if (a.name) fields[a.name] = a.value ?? '';
  }
  const buttons = [...(form[2] ?? '').matchAll(/<button\b([^>]*)>/g)]
    .map((b) => attrs(b[1] ?? ''))
    .filter((a) => a.name)
    .map((a) => ({ name: a.name ?? '', value: a.value ?? '' }));
  return { action: formAttrs.action ?? '', method: formAttrs.method ?? 'get', fields, buttons };
}

export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
