import { clientFromDocument, isClientIdUrl } from './client-metadata.ts';
import { cachedLoader, createMemoryDocumentCache, lifetimeFrom, type FetchedDocumentCache } from './document-cache.ts';
import type { SafeFetch, SafeFetchErrorCode } from './safe-fetch.ts';
import type { Counters } from '../../state/counters.ts';
import type { ClientRecord, ClientStore, Clock, OAuthLogger } from './types.ts';

export type ClientLookup =
  | { ok: true; client: ClientRecord }
  /** `code`: `unknown_client`, or why a metadata document could not be used (`cimd_<…>`). */
  | { ok: false; code: string; reason: string };

/** "Who is this client?" for every endpoint: registered clients and metadata-document clients alike. */
export interface ClientDirectory {
  /** `requester`: the caller's address, whose document fetches are budgeted (abuse as a fetch proxy). */
  find(clientId: string, requester?: string): Promise<ClientLookup>;
}

/** New document fetches one address may cause per window; cached documents do not count. */
const FETCH_BUDGET = { count: 30, windowMs: 10 * 60_000 };

export interface ClientDirectoryDeps {
  store: Pick<ClientStore, 'getClient'>;
  /** Counts client-document fetches per requester (shared by replicas with Redis). */
  counters: Counters;
  clock: Clock;
  logger: OAuthLogger;
  allowedRedirectHosts: readonly string[];
  /** The guarded fetch for documents; absent = CIMD off (URL client ids are unknown clients). */
  fetch?: SafeFetch;
  cache?: FetchedDocumentCache<ClientRecord>;
}

/**
 * What a caller is told about a failed fetch. The details (resolved addresses, socket errors) go to
 * the log only: echoing them would let anyone map internal DNS names through `/authorize`.
 */
const PUBLIC_REASONS: Record<SafeFetchErrorCode, string> = {
  not_https: 'it must be served over https',
  forbidden_address: 'its host is on an address this server does not fetch from',
  dns_failed: 'its host name does not resolve',
  too_many_redirects: 'it redirects more than 3 times',
  timeout: 'it did not arrive within 5 seconds',
  too_large: 'it is larger than 64 KiB',
  http_status: 'its URL did not answer 200',
  network: 'it could not be fetched (connection or TLS failure)',
};

/**
 * Resolves a `client_id`: an https URL (when CIMD is on) is a Client ID Metadata Document, fetched
 * through the SSRF-guarded fetch, validated and cached (never written to the client store);
 * anything else is looked up among the RFC 7591 registrations. Each document fetch is logged with
 * the outcome, so the log shows which registration path a client took.
 */
export function createClientDirectory(deps: ClientDirectoryDeps): ClientDirectory {
  const fetchDocument = deps.fetch;
  const documents = fetchDocument
    ? cachedLoader(deps.cache ?? createMemoryDocumentCache<ClientRecord>(), deps.clock.now, async (url) => {
        const answer = await fetchDocument(url);
        if (!answer.ok) {
          deps.logger.warn('oauth.cimd_refused', { client_id: url, code: `cimd_${answer.code}`, reason: answer.reason });
          return { ok: false, code: `cimd_${answer.code}`, reason: PUBLIC_REASONS[answer.code] };
        }
        let raw: unknown;
        try {
          raw = JSON.parse(answer.body);
        } catch {
          raw = undefined;
        }
        const verdict = clientFromDocument(url, raw, deps.allowedRedirectHosts, deps.clock.now());
        if (!verdict.ok) {
          deps.logger.warn('oauth.cimd_refused', { client_id: url, code: 'cimd_invalid_document', reason: verdict.reason });
          return { ok: false, code: 'cimd_invalid_document', reason: verdict.reason };
        }
        deps.logger.info('oauth.cimd_fetched', {
          client_id: url,
          client_name: verdict.client.clientName,
          auth_method: verdict.client.tokenEndpointAuthMethod,
        });
        return { ok: true, value: verdict.client, lifetimeMs: lifetimeFrom(answer.headers) };
      })
    : undefined;

  return {
    async find(clientId, requester) {
      if (!clientId || clientId.length > 2000) return { ok: false, code: 'unknown_client', reason: 'client_id is missing or too long' };
      if (documents && isClientIdUrl(clientId)) {
        const mayFetch = async () =>
          requester === undefined ||
          (await deps.counters.hit(`cimd-fetch:${requester}`, deps.clock.now(), FETCH_BUDGET.windowMs)) <= FETCH_BUDGET.count;
        const entry = await documents.get(clientId, {
          mayFetch,
          refused: { code: 'cimd_rate_limited', reason: 'too many client documents fetched for this address; try again later' },
        });
        return entry.ok ? { ok: true, client: entry.value } : { ok: false, code: entry.code, reason: entry.reason };
      }
      const client = clientId.length <= 200 ? await deps.store.getClient(clientId) : undefined;
      return client ? { ok: true, client } : { ok: false, code: 'unknown_client', reason: 'the client is not registered' };
    },
  };
}
