import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkAddress } from './ssrf.ts';

/** A resolved address, as `dns.lookup(…, { all: true })` returns it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution; the default is the system resolver. Tests map names to addresses. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** Whole fetch, redirects and body included (default 5 s). */
  timeoutMs?: number;
  /** Body limit in bytes (default 64 KiB). */
  maxBytes?: number;
  /** Redirects followed at most (default 3). */
  maxRedirects?: number;
  /** Test only (OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES): skip the address check. */
  allowPrivateAddresses?: boolean;
  /** Test only: these exact addresses pass although private (a test server on 127.0.0.2). */
  exemptAddresses?: readonly string[];
  /** Extra trusted CA certificates (PEM), in addition to Node's store (tests). */
  ca?: string;
  resolve?: Resolver;
}

/** Stable codes of a refused or failed fetch. */
export type SafeFetchErrorCode =
  | 'not_https'
  | 'forbidden_address'
  | 'dns_failed'
  | 'too_many_redirects'
  | 'timeout'
  | 'too_large'
  | 'http_status'
  | 'network';

export type SafeFetchResult =
  | { ok: true; url: string; status: number; headers: IncomingHttpHeaders; body: string }
  | { ok: false; code: SafeFetchErrorCode; reason: string };

export type SafeFetch = (url: string) => Promise<SafeFetchResult>;

class FetchRefused extends Error {
  readonly code: SafeFetchErrorCode;
  constructor(code: SafeFetchErrorCode, reason: string) {
    super(reason);
    this.code = code;
  }
}

const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/**
 * An SSRF-guarded GET for documents named by clients (CIMD, RFC 7591 `jwks_uri`): `https` only;
 * the host is resolved once per hop, every address must be public unicast (`ssrf.ts`), and the
 * connection is pinned to the checked address through the socket's `lookup`, so DNS rebinding
 * between check and connect cannot happen; redirects are followed by hand (each hop checked the
 * same way), at most `maxRedirects`; the whole exchange is bounded in time and size; no cookies,
 * no credentials, no compression. Returns a value, never throws.
 */
export function createSafeFetch(options: SafeFetchOptions = {}): SafeFetch {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxBytes = options.maxBytes ?? 64 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  const resolve = options.resolve ?? systemResolver;
  const exempt = new Set(options.exemptAddresses ?? []);

  const admit = (address: string) => {
    if (options.allowPrivateAddresses || exempt.has(address)) return;
    const verdict = checkAddress(address);
    if (!verdict.ok) throw new FetchRefused('forbidden_address', `address ${address} is ${verdict.reason}`);
  };

  const pin = async (url: URL, signal: AbortSignal): Promise<ResolvedAddress> => {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let addresses: ResolvedAddress[];
    if (isIP(host) !== 0) {
      addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
    } else {
      try {
        addresses = await Promise.race([
          resolve(host),
          new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
        ]);
      } catch (cause) {
        if (signal.aborted) throw cause;
        throw new FetchRefused('dns_failed', `cannot resolve ${host}: ${(cause as Error).message}`);
      }
    }
    if (addresses.length === 0) throw new FetchRefused('dns_failed', `${host} has no address`);
    // Every address must pass: a name that also resolves to a private address is refused outright.
    for (const entry of addresses) admit(entry.address);
    return addresses[0] as ResolvedAddress;
  };

  const once = (url: URL, pinned: ResolvedAddress, signal: AbortSignal) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((done, fail) => {
      const lookup: LookupFunction = (_host, lookupOptions, callback) => {
        if ((lookupOptions as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
        } else callback(null, pinned.address, pinned.family);
      };
      const req = request(
        {
          protocol: 'https:',
          hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
          port: url.port || 443,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { Accept: 'application/json', 'Accept-Encoding': 'identity', 'User-Agent': 'mssql-deep-research-oauth' },
          lookup,
          agent: false,
          signal,
          ...(options.ca ? { ca: options.ca } : {}),
        },
        (res) => {
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBytes) {
            res.destroy();
            fail(new FetchRefused('too_large', `body of ${declared} bytes exceeds ${maxBytes}`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              res.destroy();
              fail(new FetchRefused('too_large', `body exceeds ${maxBytes} bytes`));
            } else chunks.push(chunk);
          });
          res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end();
    });

  return async (start) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let current = start;
    try {
      for (let hop = 0; hop <= maxRedirects; hop += 1) {
        let url: URL;
        try {
          url = new URL(current);
        } catch {
          throw new FetchRefused('not_https', 'not an absolute URL');
        }
        if (url.protocol !== 'https:') throw new FetchRefused('not_https', `${url.protocol} is not https`);
        if (url.username || url.password) throw new FetchRefused('not_https', 'URL carries credentials');
        const pinned = await pin(url, signal);
        if (signal.aborted) throw new FetchRefused('timeout', `no answer within ${timeoutMs} ms`);
        const answer = await once(url, pinned, signal);
        if ([301, 302, 303, 307, 308].includes(answer.status)) {
          const location = answer.headers.location;
          if (!location) throw new FetchRefused('http_status', `redirect ${answer.status} without Location`);
          current = new URL(location, url).href;
          continue;
        }
        if (answer.status !== 200) throw new FetchRefused('http_status', `HTTP ${answer.status}`);
        return { ok: true, url: url.href, ...answer };
      }
      throw new FetchRefused('too_many_redirects', `more than ${maxRedirects} redirects`);
    } catch (error) {
      if (error instanceof FetchRefused) return { ok: false, code: error.code, reason: error.message };
      if (signal.aborted) return { ok: false, code: 'timeout', reason: `no answer within ${timeoutMs} ms` };
      return { ok: false, code: 'network', reason: (error as Error).message };
    }
  };
}
