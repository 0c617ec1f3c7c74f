/**
 * URL arithmetic for one deployment. `publicBase` is PUBLIC_BASE_URL plus the environment prefix,
 * no trailing slash (e.g. `https://data.example.com/chatgpt`); it is also the issuer (RFC 8414
 * §2: exact string comparison, so the trailing slash matters).
 */

/** The MCP endpoints a token may be requested for (RFC 8707 `resource`). */
export const RESOURCE_PATHS = ['/mcp', '/sse'] as const;

/** The resource used when a client sends none: the Streamable HTTP endpoint. */
export function canonicalResource(publicBase: string): string {
  return `${publicBase}/mcp`;
}

/** Every name of this server as a protected resource: the base and each MCP endpoint. */
export function resourcesFor(publicBase: string): string[] {
  return [publicBase, ...RESOURCE_PATHS.map((path) => `${publicBase}${path}`)];
}

/** Normalises a requested `resource` (drops one trailing slash); undefined if it is not ours. */
export function matchResource(publicBase: string, requested: string): string | undefined {
  const normalised = requested.endsWith('/') ? requested.slice(0, -1) : requested;
  return resourcesFor(publicBase).includes(normalised) ? normalised : undefined;
}

/**
 * The public base a protected-resource URL belongs to: the URL minus a trailing `/mcp`, `/sse` or
 * `/messages` (how the verifier learns the expected issuer from the resource it is given).
 */
export function baseOfResource(resource: string): string {
  const trimmed = resource.endsWith('/') ? resource.slice(0, -1) : resource;
  for (const suffix of [...RESOURCE_PATHS, '/messages']) {
    if (trimmed.endsWith(suffix)) return trimmed.slice(0, -suffix.length);
  }
  return trimmed;
}

/** The path part of the public base: `/chatgpt`, or `` at the root. */
export function prefixOf(publicBase: string): string {
  const path = new URL(publicBase).pathname;
  return path === '/' ? '' : path.replace(/\/$/, '');
}

/**
 * RFC 9728 §3.1 path-inserted protected resource metadata URL for an endpoint, e.g.
 * (`https://h/chatgpt`, `/mcp`) → `https://h/.well-known/oauth-protected-resource/chatgpt/mcp`.
 * This is the `resource_metadata` of the 401 challenge (absolute, never built from request headers).
 */
export function prmUrlFor(publicBase: string, resourcePath: string): string {
  const url = new URL(publicBase);
  const path = `${prefixOf(publicBase)}${resourcePath === '/' ? '' : resourcePath}`;
  return `${url.origin}/.well-known/oauth-protected-resource${path}`;
}

/** Host of a URL for display (consent page); the raw string when it does not parse. */
export function hostOf(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}
