import type { ClientStore, GrantStore } from './types.ts';

/**
 * Deletes registrations that were never used: no grant was ever issued to them (no refresh-token
 * family) and they were registered more than `unusedDays` ago. Dynamic registration is open by
 * design (RFC 7591; ChatGPT and Claude register themselves), so abandoned and abusive registrations
 * would otherwise pile up forever (issue 10 item 9). Returns the deleted client ids.
 */
export async function purgeUnusedClients(store: ClientStore & GrantStore, now: number, unusedDays: number): Promise<string[]> {
  const cutoffSeconds = (now - unusedDays * 86_400_000) / 1000;
  const deleted: string[] = [];
  for (const client of await store.listClients()) {
    if (client.issuedAt >= cutoffSeconds) continue;
    if ((await store.listGrants(client.clientId)).length > 0) continue;
    if (await store.deleteClient(client.clientId)) deleted.push(client.clientId);
  }
  return deleted;
}
