import { wellKnownFor } from '../target.ts';
import type { HttpResponse } from '../http.ts';
import type { Check, CheckResult, DoctorContext, DoctorTarget } from '../types.ts';

type Kind = 'as' | 'oidc' | 'prm' | 'prm-root' | 'unknown';

/** One discovery URL a client tries, what it must find there, and who tries it. */
export interface DiscoveryProbe {
  url: string;
  kind: Kind;
  /** For 'prm': the resource the document must name exactly (RFC 9728 §3.3). */
  resource?: string;
  who: string;
}

/**
 * Every discovery URL ChatGPT and the MCP SDK try (conformance checklist, "SDK discovery order"
 * and "Client quirks"), in the order they try them, without duplicates when the prefix is empty.
 */
export function discoveryProbes(t: DoctorTarget): DiscoveryProbe[] {
  const root = (doc: string) => `${t.origin}/.well-known/${doc}`;
  const probes: DiscoveryProbe[] = [
    {
      url: wellKnownFor(t.mcpUrl, 'oauth-protected-resource'),
      kind: 'prm',
      resource: t.mcpUrl,
      who: 'RFC 9728 path form for the MCP URL (SDK, Claude)',
    },
    { url: wellKnownFor(t.sseUrl, 'oauth-protected-resource'), kind: 'prm', resource: t.sseUrl, who: 'RFC 9728 path form for the SSE URL' },
    { url: root('oauth-protected-resource'), kind: 'prm-root', who: 'root fallback (SDK, ChatGPT)' },
    { url: wellKnownFor(t.issuer, 'oauth-authorization-server'), kind: 'as', who: 'RFC 8414 path form of the issuer (SDK)' },
    { url: wellKnownFor(t.mcpUrl, 'oauth-authorization-server'), kind: 'as', who: 'ChatGPT: path variant of the MCP URL' },
    { url: wellKnownFor(t.sseUrl, 'oauth-authorization-server'), kind: 'as', who: 'ChatGPT: path variant of the SSE URL' },
    { url: root('oauth-authorization-server'), kind: 'as', who: 'root (ChatGPT, SDK 1.15–1.21)' },
    { url: wellKnownFor(t.issuer, 'openid-configuration'), kind: 'oidc', who: 'OIDC path insertion (SDK)' },
    { url: `${t.issuer}/.well-known/openid-configuration`, kind: 'oidc', who: 'OIDC path append (SDK)' },
    { url: root('openid-configuration'), kind: 'oidc', who: 'root OIDC (ChatGPT)' },
    { url: `${t.sseUrl}/.well-known/oauth-authorization-server`, kind: 'as', who: 'ChatGPT quirk: appended to the resource URL' },
    { url: `${t.origin}/.well-known/oauth-authorization-server/${t.prefix}`, kind: 'as', who: 'double slash (URL joining bug in clients)' },
    { url: root('mssql-deep-research-doctor-unknown'), kind: 'unknown', who: 'an unknown document' },
  ];
  const seen = new Set<string>();
  return probes.filter((p) => !seen.has(p.url) && seen.add(p.url));
}

function json(res: HttpResponse): Record<string, unknown> | undefined {
  if (!String(res.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    const value: unknown = JSON.parse(res.body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function absolute(value: unknown, origin: string): boolean {
  if (typeof value !== 'string' || !/^https?:\/\//.test(value)) return false;
  try {
    return new URL(value).protocol === new URL(origin).protocol;
  } catch {
    return false;
  }
}

/** What is wrong with an authorization-server (or OIDC) document, or undefined when nothing is. */
export function asMetadataProblem(doc: Record<string, unknown>, t: DoctorTarget, oidc: boolean): string | undefined {
  if (doc.issuer !== t.issuer) return `issuer is ${JSON.stringify(doc.issuer)}, expected "${t.issuer}" (exactly, no trailing slash)`;
  for (const field of ['authorization_endpoint', 'token_endpoint']) {
    if (!absolute(doc[field], t.origin))
      return `${field} ${JSON.stringify(doc[field])} is not an absolute ${new URL(t.origin).protocol}// URL`;
  }
  if (!Array.isArray(doc.code_challenge_methods_supported) || !doc.code_challenge_methods_supported.includes('S256'))
    return 'code_challenge_methods_supported lacks S256 (2025-11-25 clients refuse the server)';
  if (oidc) {
    for (const field of ['jwks_uri', 'subject_types_supported', 'id_token_signing_alg_values_supported']) {
      if (doc[field] === undefined) return `an OIDC document without ${field} (a partial alias breaks ChatGPT; answer 404 instead)`;
    }
  }
  return undefined;
}

function judge(probe: DiscoveryProbe, res: HttpResponse, t: DoctorTarget): Omit<CheckResult, 'name'> {
  const doc = json(res);
  const where = `HTTP ${res.status}`;
  if (res.status >= 500)
    return {
      status: 'FAIL',
      detail: `${where}: the SDK aborts discovery on a 5xx`,
      fix: 'see the connector log: docker compose logs connector',
    };
  if (res.status === 401 || res.status === 403)
    return {
      status: 'FAIL',
      detail: `${where}: discovery must not require authentication`,
      fix: 'route /.well-known/ to the connector without auth (nginx/templates/default.conf.template)',
    };
  if (probe.kind === 'unknown' || (probe.kind === 'oidc' && res.status === 404)) {
    if (res.status === 404 && doc) return { status: 'PASS', detail: 'JSON 404: clients move on' };
    if (res.status === 404)
      return { status: 'WARN', detail: '404 but not JSON', fix: 'answer unknown /.well-known/ paths with a JSON 404' };
    if (probe.kind === 'unknown')
      return {
        status: 'FAIL',
        detail: `${where} for a document that does not exist (an SPA fallback?)`,
        fix: 'answer unknown /.well-known/ paths with a JSON 404',
      };
  }
  if (res.status !== 200 || !doc) {
    return {
      status: 'FAIL',
      detail: `${where}${doc ? '' : ', not JSON'}`,
      fix: probe.kind.startsWith('prm')
        ? 'route /.well-known/oauth-protected-resource/<prefix>/... to the connector (nginx template)'
        : 'route /.well-known/oauth-authorization-server/<prefix>... to the connector (nginx template)',
    };
  }
  if (probe.kind === 'as' || probe.kind === 'oidc') {
    const problem = asMetadataProblem(doc, t, probe.kind === 'oidc');
    return problem
      ? { status: 'FAIL', detail: problem, fix: 'set PUBLIC_BASE_URL to the https origin and let nginx send X-Environment-Path' }
      : { status: 'PASS', detail: `issuer ${t.issuer}` };
  }
  const servers = Array.isArray(doc.authorization_servers) ? doc.authorization_servers : [];
  if (!servers.includes(t.issuer))
    return {
      status: 'FAIL',
      detail: `authorization_servers ${JSON.stringify(servers)} lacks "${t.issuer}"`,
      fix: 'set PUBLIC_BASE_URL and the prefix so the issuer is origin + prefix',
    };
  if (probe.kind === 'prm') {
    return doc.resource === probe.resource
      ? { status: 'PASS', detail: `resource ${probe.resource}` }
      : {
          status: 'FAIL',
          detail: `resource is ${JSON.stringify(doc.resource)}, expected "${probe.resource}" (RFC 9728 §3.3: byte-identical)`,
          fix: 'set PUBLIC_BASE_URL to the public origin; nginx must send X-Environment-Path',
        };
  }
  const resource = typeof doc.resource === 'string' ? doc.resource : '';
  const prefixOk = resource !== '' && new URL(resource).origin === t.origin && t.mcpUrl.startsWith(resource.replace(/\/$/, ''));
  return prefixOk
    ? { status: 'PASS', detail: `resource ${resource}` }
    : {
        status: 'FAIL',
        detail: `resource ${JSON.stringify(doc.resource)} is not a same-origin prefix of ${t.mcpUrl} (the SDK rejects it)`,
        fix: 'set PUBLIC_BASE_URL to the public origin',
      };
}

/** Each discovery URL in turn, one line each; the AS document is also asked with HEAD (ChatGPT sends HEAD, then GET). */
export const discoveryCheck: Check = {
  name: 'discovery',
  async run(ctx: DoctorContext) {
    const results: CheckResult[] = [];
    for (const probe of discoveryProbes(ctx.target)) {
      const name = `discovery ${new URL(probe.url).pathname}`;
      try {
        const res = await ctx.request(probe.url);
        const verdict = judge(probe, res, ctx.target);
        results.push({ name, ...verdict, detail: `${verdict.detail} (${probe.who})` });
      } catch (error) {
        results.push({ status: 'FAIL', name, detail: `request failed: ${(error as Error).message}`, fix: 'is nginx reachable on 443?' });
      }
    }
    const head = await ctx
      .request(wellKnownFor(ctx.target.issuer, 'oauth-authorization-server'), { method: 'HEAD' })
      .catch(() => undefined);
    results.push(
      head?.status === 200
        ? {
            status: 'PASS',
            name: 'discovery HEAD',
            detail: 'HEAD on the authorization-server metadata answers 200 (ChatGPT sends HEAD before GET)',
          }
        : {
            status: 'FAIL',
            name: 'discovery HEAD',
            detail: `HEAD on the authorization-server metadata answers ${head?.status ?? 'nothing'}`,
            fix: 'metadata routes must answer HEAD like GET',
          },
    );
    return results;
  },
};

/** One issuer everywhere: every AS/OIDC document and every PRM's authorization_servers agree. */
export const issuerCheck: Check = {
  name: 'issuer consistency',
  async run(ctx) {
    const issuers = new Set<string>();
    for (const probe of discoveryProbes(ctx.target)) {
      const res = await ctx.request(probe.url).catch(() => undefined);
      const doc = res?.status === 200 ? json(res) : undefined;
      if (!doc) continue;
      if (typeof doc.issuer === 'string') issuers.add(doc.issuer);
      if (Array.isArray(doc.authorization_servers)) for (const s of doc.authorization_servers) issuers.add(String(s));
    }
    if (issuers.size === 0)
      return [
        { status: 'FAIL', name: 'issuer consistency', detail: 'no discovery document answered', fix: 'see the discovery lines above' },
      ];
    const list = [...issuers];
    return list.length === 1 && list[0] === ctx.target.issuer
      ? [{ status: 'PASS', name: 'issuer consistency', detail: `every document names ${ctx.target.issuer}` }]
      : [
          {
            status: 'FAIL',
            name: 'issuer consistency',
            detail: `documents name ${list.join(', ')}; expected only ${ctx.target.issuer}`,
            fix: 'one PUBLIC_BASE_URL, and nginx must announce the prefix the URL uses (2026-07-28 clients compare issuers exactly)',
          },
        ];
  },
};
