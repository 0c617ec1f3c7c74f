import type { SyncCounters } from '../../state/counters.ts';
import type { Person } from './identity/person.ts';

/**
 * The seams of the authorization server: time, logging, and the state that must survive a restart
 * (registered clients, codes, refresh-token families, signing keys, browser sessions, counters).
 * Secrets (codes, refresh tokens, session ids, client secrets) are stored only as SHA-256 hashes.
 */

/** Current time; tests substitute a frozen or stepping clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Structured audit/diagnostic lines. Never receives secrets. */
export interface OAuthLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';

/** A JSON Web Key Set as RFC 7517 §5 writes it (public keys only are ever accepted). */
export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

/**
 * A client: registered through RFC 7591 dynamic registration (`registration` absent or `dcr`), or
 * described by its Client ID Metadata Document (`cimd`: never stored, rebuilt from the cached
 * document; `clientId` is the document's https URL).
 */
export interface ClientRecord {
  clientId: string;
  /** SHA-256 (base64url) of the secret; absent for public (`none`) clients. */
  secretHash?: string;
  clientName?: string;
  redirectUris: string[];
  grantTypes: string[];
  responseTypes: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  scope?: string;
  /** Seconds since the epoch (RFC 7591 `client_id_issued_at`). */
  issuedAt: number;
  /** `private_key_jwt`: the client's public keys by reference (https) or by value (RFC 7591 §2). */
  jwksUri?: string;
  jwks?: JsonWebKeySet;
  /** OpenID Connect Registration `application_type` (MCP SEP-837): `web` or `native`. */
  applicationType?: 'web' | 'native';
  /** Further methods the client declares it may use (a CIMD document's `token_endpoint_auth_methods_supported`). */
  alsoAuthMethods?: TokenEndpointAuthMethod[];
  registration?: 'dcr' | 'cimd';
}

/**
 * Single-use markers for client assertion `jti`s (RFC 7523 §3 item 7), kept until the assertion
 * expires and persisted, so neither a restart nor another replica can accept a replay.
 */
export interface AssertionReplayStore {
  /** Records `key` until `expiresAt`; false when it was already recorded and has not expired. */
  useOnce(key: string, expiresAt: number, now: number): Promise<boolean>;
}

/** An authorization code, bound to everything the token request must repeat (RFC 6749 §4.1.3). */
export interface CodeRecord {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  /** Whether `redirect_uri` was present on the authorization request (RFC 6749 §4.1.3). */
  redirectUriExplicit: boolean;
  codeChallenge: string;
  scopes: string[];
  resource: string;
  subject: string;
  /** Who consented (absent on records written before people were stored: a local username). */
  person?: Person;
  expiresAt: number;
}

export type ConsumeResult =
  | { status: 'ok'; code: CodeRecord }
  /** The code was already exchanged; `familyId` names what the first exchange issued. */
  | { status: 'replayed'; code: CodeRecord; familyId?: string }
  | { status: 'unknown' };

/** One grant: every refresh token rotated from one authorization code shares a family. */
export interface RefreshFamily {
  familyId: string;
  clientId: string;
  subject: string;
  scopes: string[];
  resource: string;
  createdAt: number;
  revoked: boolean;
  /** The person the grant follows, re-admitted at every refresh (absent on older grants: a local username). */
  person?: Person;
}

/** A grant as the operator commands see it: the family and when a token was last issued from it. */
export interface GrantSummary extends RefreshFamily {
  /** Milliseconds: the family's creation or its latest refresh rotation, whichever is later. */
  lastIssuedAt: number;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  familyId: string;
  expiresAt: number;
  /** Set once the token has been exchanged for a new pair. */
  rotatedAt?: number;
  /**
   * The pair issued at rotation, encrypted with a key derived from this (old) token, so that a
   * concurrent refresh within the grace window gets the same pair without storing it readable.
   */
  graceBlob?: string;
}

/** An ES256 signing key. The newest key signs; older keys keep verifying until pruned. */
export interface SigningKeyRecord {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
  /** When a newer key took over; the key verifies until `retiredAt + access token TTL`. */
  retiredAt?: number;
}

/** A signed-in operator's browser session (for /authorize consent and /records pages). */
export interface BrowserSession {
  idHash: string;
  subject: string;
  /** Who signed in (absent on sessions written before people were stored: a local username). */
  person?: Person;
  /** Session-bound CSRF token for forms posted while signed in. */
  csrf: string;
  expiresAt: number;
}

/** Registered (RFC 7591) clients; CIMD clients are never stored here. */
export interface ClientStore {
  saveClient(client: ClientRecord): Promise<void>;
  getClient(clientId: string): Promise<ClientRecord | undefined>;
  /** Every registered client, oldest first (the operator's `npm run clients -- list`). */
  listClients(): Promise<ClientRecord[]>;
  /** Deletes a registration; true when it existed. Its grants are revoked separately (`revokeFamily`). */
  deleteClient(clientId: string): Promise<boolean>;
}

/** Authorization codes (hashed). `consumeCode` is an atomic compare-and-set: it decides single use. */
export interface CodeStore {
  saveCode(code: CodeRecord): Promise<void>;
  /** Marks the code consumed; reports a replay when it already was. Keeps consumed codes until `retainUntil`. */
  consumeCode(codeHash: string, now: number, retainUntil: number): Promise<ConsumeResult>;
  /** Records which family the first exchange of a code created, for replay revocation. */
  setCodeFamily(codeHash: string, familyId: string): Promise<void>;
}

/** Grants: refresh-token families and their (hashed) tokens. `rotateRefresh` decides rotation races. */
export interface GrantStore {
  /** The client's refresh-token families, revoked ones included, oldest first. */
  listGrants(clientId: string): Promise<GrantSummary[]>;
  createFamily(family: RefreshFamily, token: RefreshTokenRecord): Promise<void>;
  getFamily(familyId: string): Promise<RefreshFamily | undefined>;
  findRefresh(tokenHash: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Rotates `oldHash` to `next` only if `oldHash` has not been rotated yet; returns false when a
   * concurrent request won the race.
   */
  rotateRefresh(oldHash: string, rotatedAt: number, graceBlob: string, next: RefreshTokenRecord): Promise<boolean>;
  revokeFamily(familyId: string): Promise<void>;
}

/** Access-token signing keys; every replica re-reads them, so a rotation is seen by all. */
export interface KeyStore {
  listKeys(): Promise<SigningKeyRecord[]>;
  /** Adds a key and marks every other unretired key retired at `key.createdAt`, atomically. */
  addKey(key: SigningKeyRecord): Promise<void>;
  deleteKey(kid: string): Promise<void>;
}

/** Signed-in browser sessions (hashed ids). */
export interface SessionStore {
  saveSession(session: BrowserSession): Promise<void>;
  getSession(idHash: string): Promise<BrowserSession | undefined>;
  deleteSession(idHash: string): Promise<void>;
}

/**
 * Everything the authorization server keeps, one small interface per kind of state (memory, sqlite
 * in DATA_DIR, or Redis for replicas; one contract suite, tests/oauth/store.test.ts).
 */
export interface OAuthStore extends ClientStore, CodeStore, GrantStore, KeyStore, SessionStore, AssertionReplayStore {
  /** Drops expired codes, sessions, refresh tokens and assertion markers (and an embedded store's counters). */
  purge(now: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A store embedded in the process (memory, or sqlite in DATA_DIR) also keeps windowed counters
 * synchronously; `embeddedCounters` puts them behind the async `Counters` seam. A shared store
 * (Redis) comes with its own `Counters` instead.
 */
export interface EmbeddedOAuthStore extends OAuthStore, SyncCounters {}
