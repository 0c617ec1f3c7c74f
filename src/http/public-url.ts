import type { Context, MiddlewareHandler } from 'hono';
import { normalizeEnvironmentPath } from '../config-values.ts';
import type { AddressMatcher } from './cidr.ts';
import type { AppEnv } from './context.ts';

/** Reads the TCP peer address; @hono/node-server exposes the socket as `c.env.incoming.socket`. */
export type PeerAddressGetter = (c: Context<AppEnv>) => string | undefined;

export const nodePeerAddress: PeerAddressGetter = (c) => c.env?.incoming?.socket?.remoteAddress;

export interface PublicUrlOptions {
  /** Configured origin (PUBLIC_BASE_URL or the listening address), no trailing slash. */
  origin: string;
  /** ENVIRONMENT_PATH: the prefix when no trusted proxy announces one. */
  environmentPath: string;
  trustedProxies: AddressMatcher;
  peerAddress?: PeerAddressGetter;
}

/**
 * Resolves the public URL of this request and the client address (conformance item 7).
 * The origin is always the configured one: `X-Forwarded-Host`/`X-Forwarded-Proto` are never read,
 * so no client can make the server mint URLs (issuer, resource, record links) on another host.
 * The prefix comes from `X-Environment-Path` only when the TCP peer is a trusted proxy (nginx
 * overwrites the client's value), else from ENVIRONMENT_PATH. Likewise `X-Forwarded-For` is
 * believed only as far as it was appended by trusted proxies.
 */
export function publicUrl(options: PublicUrlOptions): MiddlewareHandler<AppEnv> {
  const peerAddress = options.peerAddress ?? nodePeerAddress;
  const trusted = options.trustedProxies;
  return async function publicUrlMiddleware(c, next) {
    const peer = peerAddress(c) ?? 'unknown';
    const fromProxy = trusted.contains(peer);
    let prefix = options.environmentPath;
    if (fromProxy) {
      const announced = c.req.header('x-environment-path');
      const normalized = announced === undefined ? null : normalizeEnvironmentPath(announced);
      if (normalized !== null) prefix = normalized;
    }
    c.set('publicOrigin', options.origin);
    c.set('publicPrefix', prefix);
    c.set('publicBase', options.origin + prefix);
    c.set('clientIp', fromProxy ? clientBehindProxies(c.req.header('x-forwarded-for'), peer, trusted) : peer);
    await next();
  };
}

/** The right-most X-Forwarded-For hop that is not itself a trusted proxy (RFC 7239 §7.4 reasoning). */
function clientBehindProxies(forwardedFor: string | undefined, peer: string, trusted: AddressMatcher): string {
  if (!forwardedFor) return peer;
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index] as string;
    if (!trusted.contains(hop)) return hop;
  }
  return hops[0] ?? peer;
}
