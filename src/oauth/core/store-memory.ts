import type {
  BrowserSession,
  ClientRecord,
  CodeRecord,
  ConsumeResult,
  GrantSummary,
  EmbeddedOAuthStore,
  RefreshFamily,
  RefreshTokenRecord,
  SigningKeyRecord,
} from './types.ts';

interface CodeEntry {
  code: CodeRecord;
  consumed: boolean;
  familyId?: string;
  retainUntil: number;
}

/**
 * An in-memory `OAuthStore` for tests and throwaway runs. Same semantics as the sqlite store;
 * everything is lost on exit. Records are copied in and out so callers cannot mutate stored state.
 */
export function createMemoryStore(): EmbeddedOAuthStore {
  const clients = new Map<string, ClientRecord>();
  const codes = new Map<string, CodeEntry>();
  const families = new Map<string, RefreshFamily>();
  const tokens = new Map<string, RefreshTokenRecord>();
  const keys = new Map<string, SigningKeyRecord>();
  const sessions = new Map<string, BrowserSession>();
  const counters = new Map<string, { count: number; resetAt: number }>();
  const usedAssertions = new Map<string, number>();
  const copy = <T>(value: T): T => structuredClone(value);

  return {
    saveClient: async (client) => void clients.set(client.clientId, copy(client)),
    getClient: async (id) => {
      const client = clients.get(id);
      return client && copy(client);
    },
    listClients: async () => [...clients.values()].map(copy).sort((a, b) => a.issuedAt - b.issuedAt),
    deleteClient: async (id) => clients.delete(id),
    async listGrants(clientId): Promise<GrantSummary[]> {
      const grants = [...families.values()].filter((family) => family.clientId === clientId);
      return grants
        .map((family) => {
          let lastIssuedAt = family.createdAt;
          for (const token of tokens.values()) {
            if (token.familyId === family.familyId && token.rotatedAt !== undefined) lastIssuedAt = Math.max(lastIssuedAt, token.rotatedAt);
          }
          return { ...copy(family), lastIssuedAt };
        })
        .sort((a, b) => a.createdAt - b.createdAt);
    },

    saveCode: async (code) => void codes.set(code.codeHash, { code: copy(code), consumed: false, retainUntil: code.expiresAt }),
    async consumeCode(hash, _now, retainUntil): Promise<ConsumeResult> {
      const entry = codes.get(hash);
      if (!entry) return { status: 'unknown' };
      if (entry.consumed) {
        return entry.familyId
          ? { status: 'replayed', code: copy(entry.code), familyId: entry.familyId }
          : { status: 'replayed', code: copy(entry.code) };
      }
      entry.consumed = true;
      entry.retainUntil = retainUntil;
      return { status: 'ok', code: copy(entry.code) };
    },
    async setCodeFamily(hash, familyId) {
      const entry = codes.get(hash);
      if (entry) entry.familyId = familyId;
    },

    async createFamily(family, token) {
      families.set(family.familyId, copy(family));
      tokens.set(token.tokenHash, copy(token));
    },
    getFamily: async (id) => {
      const family = families.get(id);
      return family && copy(family);
    },
    findRefresh: async (hash) => {
      const token = tokens.get(hash);
      return token && copy(token);
    },
    async rotateRefresh(oldHash, rotatedAt, graceBlob, next) {
      const old = tokens.get(oldHash);
      if (!old || old.rotatedAt !== undefined) return false;
      old.rotatedAt = rotatedAt;
      old.graceBlob = graceBlob;
      tokens.set(next.tokenHash, copy(next));
      return true;
    },
    async revokeFamily(id) {
      const family = families.get(id);
      if (family) family.revoked = true;
    },

    listKeys: async () => [...keys.values()].map(copy).sort((a, b) => a.createdAt - b.createdAt),
    async addKey(key) {
      for (const existing of keys.values()) existing.retiredAt ??= key.createdAt;
      keys.set(key.kid, copy(key));
    },
    deleteKey: async (kid) => void keys.delete(kid),

    saveSession: async (session) => void sessions.set(session.idHash, copy(session)),
    getSession: async (hash) => {
      const session = sessions.get(hash);
      return session && copy(session);
    },
    deleteSession: async (hash) => void sessions.delete(hash),

    hitCounter(key, now, windowMs) {
      const current = counters.get(key);
      if (!current || current.resetAt <= now) {
        counters.set(key, { count: 1, resetAt: now + windowMs });
        return 1;
      }
      current.count += 1;
      return current.count;
    },
    getCounter(key, now) {
      const current = counters.get(key);
      return current && current.resetAt > now ? current.count : 0;
    },
    resetCounter: (key) => void counters.delete(key),
    reserveCounter(key, now, windowMs, max) {
      const current = counters.get(key);
      if (!current || current.resetAt <= now) {
        counters.set(key, { count: 1, resetAt: now + windowMs });
        return { ok: true, count: 1 };
      }
      if (current.count >= max) return { ok: false, resetAt: current.resetAt };
      current.count += 1;
      return { ok: true, count: current.count };
    },
    releaseCounter(key) {
      const current = counters.get(key);
      if (current && current.count > 0) current.count -= 1;
    },

    async useOnce(key, expiresAt, now) {
      const until = usedAssertions.get(key);
      if (until !== undefined && until > now) return false;
      usedAssertions.set(key, expiresAt);
      return true;
    },

    async purge(now) {
      for (const [key, until] of usedAssertions) if (until <= now) usedAssertions.delete(key);
      for (const [hash, entry] of codes) if (entry.retainUntil <= now) codes.delete(hash);
      for (const [hash, session] of sessions) if (session.expiresAt <= now) sessions.delete(hash);
      for (const [key, counter] of counters) if (counter.resetAt <= now) counters.delete(key);
      for (const [hash, token] of tokens) if (token.expiresAt <= now) tokens.delete(hash);
    },
    close: async () => undefined,
  };
}
