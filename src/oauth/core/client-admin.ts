import type { ClientStore, GrantStore } from './types.ts';
import { hostOf } from './urls.ts';

/** One registered client as the operator sees it (`npm run clients -- list`). */
export interface ClientSummary {
  clientId: string;
  clientName: string | undefined;
  /** Distinct hosts of the registered redirect URIs (what the consent page showed). */
  redirectHosts: string[];
  /** ISO 8601: RFC 7591 `client_id_issued_at`. */
  createdAt: string;
  /**
   * ISO 8601: the latest token issuance (code exchange or refresh) for this client, or undefined if
   * it never got a token. Access-token use is not recorded (JWTs verify without a write), so a
   * client that only spends a long-lived access token shows the time that token was issued.
   */
  lastUsedAt: string | undefined;
  /** Refresh-token families not revoked: each is one consent whose tokens still work. */
  activeGrants: number;
}

/** Outcome of revoking a client: whether a registration was deleted and how many grants ended. */
export interface RevokeClientResult {
  deleted: boolean;
  grantsRevoked: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Every registered client with its activity, oldest first. */
export async function listClientSummaries(store: ClientStore & GrantStore): Promise<ClientSummary[]> {
  const summaries: ClientSummary[] = [];
  for (const client of await store.listClients()) {
    const grants = await store.listGrants(client.clientId);
    const last = grants.reduce<number | undefined>((max, grant) => Math.max(max ?? 0, grant.lastIssuedAt), undefined);
    summaries.push({
      clientId: client.clientId,
      clientName: client.clientName,
      redirectHosts: [...new Set(client.redirectUris.map(hostOf))],
      createdAt: iso(client.issuedAt * 1000),
      lastUsedAt: last === undefined ? undefined : iso(last),
      activeGrants: grants.filter((grant) => !grant.revoked).length,
    });
  }
  return summaries;
}

/**
 * Ends a client: revokes every refresh-token family it holds (the resource server's verifier
 * checks the family on every request, so its access tokens are refused at the next call, not at
 * expiry, and its refresh tokens fail) and deletes its registration, so it must register and be
 * approved again. Also works when only grants are left (a registration deleted earlier).
 */
export async function revokeClient(store: ClientStore & GrantStore, clientId: string): Promise<RevokeClientResult> {
  let grantsRevoked = 0;
  for (const grant of await store.listGrants(clientId)) {
    if (grant.revoked) continue;
    await store.revokeFamily(grant.familyId);
    grantsRevoked += 1;
  }
  return { deleted: await store.deleteClient(clientId), grantsRevoked };
}
