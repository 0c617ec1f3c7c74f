import type { IdentitySource, Person } from './person.ts';

/** Who, among the people an OpenID Provider vouches for, may connect (OIDC_ALLOWED_*, OIDC_ADMIN_GROUPS). */
export interface IdpPolicyConfig {
  /** Issuers whose people are judged here: OIDC_ISSUER and OAUTH_EMA_TRUSTED_ISSUERS. */
  issuers: readonly string[];
  /** The claim holding group names or ids (OIDC_GROUPS_CLAIM, default `groups`). */
  groupsClaim: string;
  allowedGroups: readonly string[];
  /** Lower-case domains; a verified e-mail address in one of them is allowed. */
  allowedEmailDomains: readonly string[];
  /** Verified e-mail addresses (any case) or IdP subjects (`sub`, Entra `oid`; exact). */
  allowedUsers: readonly string[];
  /** Members may open any cached result; they are allowed to connect as well. */
  adminGroups: readonly string[];
}

type Claims = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * An e-mail address counts only when the IdP says it verified it: `email_verified: true` (OIDC Core
 * §5.1), or Entra's optional `xms_edov` (the domain owner verified it). Entra's `preferred_username`
 * is a sign-in name, not a verified address, so it is shown but never used to decide access.
 */
function verifiedEmail(claims: Claims): string | undefined {
  const email = text(claims.email);
  const verified = claims.email_verified === true || claims.email_verified === 'true' || claims.xms_edov === true;
  return email && verified && /^[^@\s]+@[^@\s]+$/.test(email) ? email.toLowerCase() : undefined;
}

function groupsOf(claims: Claims, claim: string): { groups: string[]; overage: boolean } {
  const value = claims[claim];
  const groups = Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : text(value)
      ? [value as string]
      : [];
  // Entra replaces a groups claim that would exceed its size limit by a reference to Graph
  // (`_claim_names: { groups: "src1" }`, OIDC Core §5.6.2 distributed claims).
  const names = claims._claim_names;
  const overage = typeof names === 'object' && names !== null && Object.hasOwn(names, claim);
  return { groups: groups.slice(0, 1000).map((group) => group.slice(0, 256)), overage };
}

/** Our subject for a person from an OpenID Provider (see `Person.subject`). */
export function idpSubject(issuer: string, sub: string): string {
  return `${issuer}#${sub}`;
}

/**
 * Builds the person an IdP vouched for from verified claims (an ID token, optionally completed by
 * the UserInfo response, or an identity assertion). Claims must already be validated by the caller.
 */
export function personFromClaims(issuer: string, claims: Claims, groupsClaim: string, signedInAt: number): Person {
  const sub = String(claims.sub);
  const email = verifiedEmail(claims);
  const { groups, overage } = groupsOf(claims, groupsClaim);
  const oid = text(claims.oid);
  const name = text(claims.name) ?? text(claims.preferred_username) ?? email;
  return {
    subject: idpSubject(issuer, sub),
    source: 'idp',
    issuer,
    idpSubject: sub,
    ...(oid ? { objectId: oid } : {}),
    ...(email ? { email } : {}),
    ...(name ? { name: name.slice(0, 200) } : {}),
    groups,
    ...(overage ? { groupsOverage: true } : {}),
    signedInAt,
  };
}

/**
 * The rules for IdP people, read at every question so configuration changes apply at the next
 * refresh: an administrator group, an allowed group, a verified address in an allowed domain, or a
 * listed address or subject admits; everyone else is refused with a message they can act on.
 */
export function idpPolicy(config: IdpPolicyConfig): IdentitySource {
  const intersects = (groups: readonly string[], allowed: readonly string[]) => groups.some((group) => allowed.includes(group));
  return {
    source: 'idp',
    admit(person) {
      if (!person.issuer || !config.issuers.includes(person.issuer)) {
        return { ok: false, code: 'untrusted_issuer', message: 'Your identity provider is no longer trusted by this connector.' };
      }
      const admin = intersects(person.groups, config.adminGroups);
      const domain = person.email?.split('@')[1];
      const listed =
        (person.email !== undefined && config.allowedUsers.some((user) => user.toLowerCase() === person.email)) ||
        [person.idpSubject, person.objectId].some((id) => id !== undefined && config.allowedUsers.includes(id));
      const allowed =
        admin ||
        intersects(person.groups, config.allowedGroups) ||
        (domain !== undefined && config.allowedEmailDomains.includes(domain)) ||
        listed;
      if (allowed) return { ok: true, admin };
      if (person.groupsOverage && config.allowedGroups.length > 0) {
        return {
          ok: false,
          code: 'groups_overage',
          message:
            'Your identity provider left your groups out of the sign-in because you are in too many of them, so membership of an approved group cannot be checked. Ask the administrator to send only the groups assigned to this application.',
        };
      }
      return {
        ok: false,
        code: 'not_approved',
        message: 'Your account is not approved for this connector. Ask its administrator for access.',
      };
    },
  };
}
