import type { Check, CheckResult, DoctorContext } from '../types.ts';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mssql-deep-research-doctor', version: '1' } },
});

/** HEAD, GET and a CORS preflight on the MCP URL: anything but a 404 or 5xx means the route exists. */
export const methodsCheck: Check = {
  name: 'mcp methods',
  async run(ctx: DoctorContext) {
    const url = ctx.target.mcpUrl;
    const results: CheckResult[] = [];
    for (const method of ['HEAD', 'GET'] as const) {
      const res = await ctx.request(url, { method });
      const name = `mcp ${method}`;
      if (res.status === 404)
        results.push({
          status: 'FAIL',
          name,
          detail: `${method} ${url} → 404: no MCP endpoint at this URL`,
          fix: 'the URL must be https://DOMAIN/<prefix>/mcp with the prefix nginx publishes (ENVIRONMENT_PATH)',
        });
      else if (res.status >= 500)
        results.push({
          status: 'FAIL',
          name,
          detail: `${method} → ${res.status}`,
          fix:
            res.status === 502
              ? 'nginx cannot reach the connector: docker compose ps; docker compose logs connector'
              : 'see docker compose logs connector',
        });
      else results.push({ status: 'PASS', name, detail: `${method} → ${res.status}` });
    }
    const preflight = await ctx.request(url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://chatgpt.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
      },
    });
    const allowed = preflight.headers['access-control-allow-origin'];
    if (preflight.status >= 200 && preflight.status < 300 && allowed)
      results.push({
        status: 'PASS',
        name: 'mcp OPTIONS',
        detail: `preflight → ${preflight.status}, Access-Control-Allow-Origin ${String(allowed)}`,
      });
    else if (preflight.status === 405 || (preflight.status < 300 && !allowed))
      results.push({
        status: 'WARN',
        name: 'mcp OPTIONS',
        detail: `preflight → ${preflight.status} without CORS headers`,
        fix: 'browser clients (MCP Inspector) need CORS; set CORS_ALLOWED_ORIGINS or leave it empty for any origin',
      });
    else
      results.push({
        status: 'FAIL',
        name: 'mcp OPTIONS',
        detail: `preflight → ${preflight.status}`,
        fix: 'OPTIONS must reach the connector (nginx passes it through on /mcp)',
      });
    return results;
  },
};

/** Parses `Bearer a="b", c="d"` into { a: 'b', c: 'd' } (RFC 6750 §3). */
export function parseBearerChallenge(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^Bearer\b/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.slice(6).matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    if (m[1]) params[m[1]] = m[2] ?? m[3] ?? '';
  }
  return params;
}

async function challengeFor(
  ctx: DoctorContext,
  url: string,
  resource: string,
  req: { method: string; headers?: Record<string, string>; body?: string },
): Promise<CheckResult> {
  const name = `401 challenge ${new URL(url).pathname}`;
  const res = await ctx.request(url, req);
  if (res.status === 200)
    return {
      status: 'WARN',
      name,
      detail: `${req.method} without a token → 200: no authentication required`,
      fix: 'anyone who finds the URL can query the database: set MCP_API_KEY and/or OAuth; never ALLOW_UNAUTH_* in production',
    };
  if (res.status !== 401)
    return {
      status: 'FAIL',
      name,
      detail: `${req.method} without a token → ${res.status}, expected 401`,
      fix: 'Claude and the SDK start OAuth only on a 401 with WWW-Authenticate',
    };
  const header = res.headers['www-authenticate'];
  const params = parseBearerChallenge(Array.isArray(header) ? header[0] : header);
  const metadata = params?.resource_metadata;
  if (!metadata)
    return {
      status: 'FAIL',
      name,
      detail: `401 without a Bearer resource_metadata (${String(header ?? 'no WWW-Authenticate')})`,
      fix: 'the connector must send WWW-Authenticate: Bearer resource_metadata="…" (RFC 9728 §5.1)',
    };
  let metadataUrl: URL;
  try {
    metadataUrl = new URL(metadata);
  } catch {
    return { status: 'FAIL', name, detail: `resource_metadata "${metadata}" is not an absolute URL`, fix: 'set PUBLIC_BASE_URL' };
  }
  if (metadataUrl.origin !== ctx.target.origin)
    return {
      status: 'FAIL',
      name,
      detail: `resource_metadata points at ${metadataUrl.origin}, not ${ctx.target.origin}`,
      fix: 'set PUBLIC_BASE_URL to the public https origin (an internal address leaked)',
    };
  const doc = await ctx.request(metadata).catch(() => undefined);
  if (doc?.status !== 200)
    return {
      status: 'FAIL',
      name,
      detail: `resource_metadata ${metadata} → ${doc?.status ?? 'no answer'}`,
      fix: 'route /.well-known/oauth-protected-resource/<prefix>/... to the connector',
    };
  let body: { resource?: unknown } = {};
  try {
    body = JSON.parse(doc.body) as { resource?: unknown };
  } catch {
    /* judged below */
  }
  if (body.resource !== resource)
    return {
      status: 'FAIL',
      name,
      detail: `resource_metadata names resource ${JSON.stringify(body.resource)}, expected "${resource}"`,
      fix: 'PUBLIC_BASE_URL and the nginx prefix must match the URL you give ChatGPT',
    };
  return { status: 'PASS', name, detail: `401 → ${metadata} → resource ${resource}${params?.scope ? `, scope "${params.scope}"` : ''}` };
}

/** The 401 a client without a token gets on POST /mcp and GET /sse, and where its resource_metadata leads. */
export const challengeCheck: Check = {
  name: '401 challenge',
  async run(ctx) {
    return [
      await challengeFor(ctx, ctx.target.mcpUrl, ctx.target.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: INITIALIZE,
      }),
      await challengeFor(ctx, ctx.target.sseUrl, ctx.target.sseUrl, { method: 'GET', headers: { accept: 'text/event-stream' } }),
    ];
  },
};
