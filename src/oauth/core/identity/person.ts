/**
 * The identity seam: who is this person, and may they connect? One `Person` shape for every way of
 * signing in (a local operator account, the company's OpenID Provider, an identity assertion from a
 * trusted IdP), stored with the browser session, the authorization code and the grant, so a refresh
 * can ask the same question again under the configuration of that moment.
 */

/** Where a person's identity comes from. */
export type PersonSource = 'local' | 'idp';

export interface Person {
  /**
   * Our stable subject (the `sub` of our tokens): the username for a local account, and
   * `<issuer>#<sub>` for a person from an OpenID Provider (an IdP `sub` is unique only per issuer,
   * and usernames cannot contain `#`, so the two never collide).
   */
  subject: string;
  source: PersonSource;
  /** IdP persons: the issuer that vouched for them and its `sub`. */
  issuer?: string;
  idpSubject?: string;
  /** Entra's immutable object id (`oid`), when the IdP sends one. */
  objectId?: string;
  /** A verified e-mail address, lower-cased (only an address the IdP marks verified is kept). */
  email?: string;
  /** What to call the person on pages (name, preferred_username or e-mail); never used to decide access. */
  name?: string;
  /** The values of the groups claim at sign-in (case preserved: Entra sends object ids, Keycloak paths). */
  groups: string[];
  /** The IdP left the groups out for size (Entra "overage": `_claim_names`), so `groups` is incomplete. */
  groupsOverage?: boolean;
  /** Milliseconds: when the person proved who they are (sign-in or assertion), which bounds the grant. */
  signedInAt: number;
}

/** Stable reasons a person may not connect. */
export type RefusalCode = 'unknown_account' | 'not_approved' | 'groups_overage' | 'untrusted_issuer';

/** The answer to "may they connect?"; `admin` people may open any cached result (`/records`). */
export type Admission = { ok: true; admin: boolean } | { ok: false; code: RefusalCode; message: string };

/** Answers for one source of people. */
export interface IdentitySource {
  readonly source: PersonSource;
  admit(person: Person): Admission;
}

/**
 * The seam the OAuth server asks. Implemented by `createIdentities` over the local accounts and the
 * IdP policy; each answer uses the configuration of the moment (an account removed from AUTH_USERS,
 * a group removed from OIDC_ALLOWED_GROUPS takes effect at the next refresh or request).
 */
export interface Identities {
  admit(person: Person): Admission;
  /** Local password accounts are on (AUTH_USERS is not empty). */
  readonly localAccounts: boolean;
}

/** The person behind a local account. */
export function localPerson(username: string, signedInAt: number): Person {
  return { subject: username, source: 'local', name: username, groups: [], signedInAt };
}

/**
 * The person stored on a session, code or grant. Records written before people were stored carry
 * only the subject, which then was always a local username.
 */
export function personOf(record: { subject: string; person?: Person }): Person {
  return record.person ?? localPerson(record.subject, 0);
}

/** Combines the sources: each person is judged by the source they came from. */
export function createIdentities(sources: IdentitySource[], localAccounts: boolean): Identities {
  return {
    localAccounts,
    admit(person) {
      const source = sources.find((candidate) => candidate.source === person.source);
      if (!source) return { ok: false, code: 'unknown_account', message: 'This way of signing in is switched off.' };
      return source.admit(person);
    },
  };
}
