/**
 * A client's web host for the CIMD tests: a real HTTPS server on a loopback address with a
 * certificate generated here (its own CA, handed to the connector as `ca` or NODE_EXTRA_CA_CERTS),
 * serving a client metadata document and a JWKS, plus a test client's own signing keys (jose).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { generate } from 'selfsigned';
import type { ResolvedAddress, Resolver } from '../../src/oauth/core/safe-fetch.ts';

/** Names the certificate is valid for; the test resolver maps them to addresses. */
export const CERT_NAMES = ['localhost', 'client.test', 'other.test', 'private.test', 'mixed.test', 'rebind.test'];

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface ClientHost {
  /** PEM of the server's self-signed certificate: the trust anchor the connector is given. */
  ca: string;
  address: string;
  port: number;
  /** `https://<host>:<port><path>`, host defaulting to `client.test`. */
  url(path: string, host?: string): string;
  routes: Map<string, Route>;
  /** Paths requested so far, in order. */
  hits: string[];
  json(path: string, body: unknown, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;
function testCertificate() {
  certificate ??= generate([{ name: 'commonName', value: 'cimd-test-host' }], {
    keyType: 'ec',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...CERT_NAMES.map((value) => ({ type: 2 as const, value })),
          ...['127.0.0.1', '127.0.0.2', '::1'].map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return certificate;
}

export async function startClientHost(address = '127.0.0.2'): Promise<ClientHost> {
  const { key, cert } = await testCertificate();
  const routes = new Map<string, Route>();
  const hits: string[] = [];
  const server: Server = createServer({ key, cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    hits.push(path);
    const route = routes.get(path);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ca: cert,
    address,
    port,
    url: (path, host = 'client.test') => `https://${host}:${port}${path}`,
    routes,
    hits,
    json(path, body, headers = {}) {
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A resolver standing in for DNS: each name maps to fixed addresses; unknown names fail like NXDOMAIN. */
export function mapResolver(map: Record<string, string | string[]>, calls: string[] = []): Resolver {
  return async (hostname) => {
    calls.push(hostname);
    const entry = map[hostname];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (Array.isArray(entry) ? entry : [entry]).map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

export interface ClientKey {
  kid: string;
  alg: 'RS256' | 'PS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function clientKey(alg: ClientKey['alg'] = 'RS256'): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** An RFC 7523 client assertion as ChatGPT signs it; `claims` override the defaults. */
export async function clientAssertion(
  key: ClientKey,
  clientId: string,
  audience: string,
  nowMs: number,
  claims: { exp?: number; jti?: string; iss?: string; sub?: string } = {},
): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.iss ?? clientId)
    .setSubject(claims.sub ?? clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(claims.exp ?? now + 60)
    .setJti(claims.jti ?? randomUUID())
    .sign(key.privateKey);
}

/** A ChatGPT-like client metadata document for `clientId`. */
export function chatgptDocument(
  clientId: string,
  jwksUri: string,
  redirect = 'https://chatgpt.com/connector/oauth/c-123',
): Record<string, unknown> {
  return {
    client_id: clientId,
    client_name: 'ChatGPT',
    redirect_uris: [redirect],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    jwks_uri: jwksUri,
    application_type: 'web',
  };
}

/** The connector's outbound seams for a test host: its CA, DNS names for it, and its address exempt. */
export function outboundFor(host: ClientHost, names: Record<string, string | string[]> = {}, calls: string[] = []) {
  return {
    ca: host.ca,
    exemptAddresses: [host.address],
    resolve: mapResolver({ 'client.test': host.address, 'other.test': host.address, 'private.test': '10.0.0.7', ...names }, calls),
  };
}
