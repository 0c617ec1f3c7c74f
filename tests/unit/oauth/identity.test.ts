/**
 * The identity seam's rules without any network: who an IdP person is (verified e-mail only,
 * Entra's overage marker), who may connect under which OIDC_ALLOWED_* setting, and the identity
 * configuration's refusals (each naming its variable).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { OAuthConfigError, oauthConfigFromEnv, oauthEnvSchema } from '../../../src/oauth/core/env.ts';
import { idpPolicy, personFromClaims, type IdpPolicyConfig } from '../../../src/oauth/core/identity/idp-policy.ts';
import { localAccounts } from '../../../src/oauth/core/identity/local-accounts.ts';
import { createIdentities, localPerson } from '../../../src/oauth/core/identity/person.ts';

const ISSUER = 'https://login.microsoftonline.com/0f3c-tenant/v2.0';
const rules = (extra: Partial<IdpPolicyConfig> = {}): IdpPolicyConfig => ({
  issuers: [ISSUER],
  groupsClaim: 'groups',
  allowedGroups: [],
  allowedEmailDomains: [],
  allowedUsers: [],
  adminGroups: [],
  ...extra,
});
const person = (claims: Record<string, unknown>, issuer = ISSUER) => personFromClaims(issuer, { sub: 's-1', ...claims }, 'groups', 0);

describe('identity: people from an IdP', () => {
  it('keeps an e-mail address only when the IdP verified it (email_verified, or Entra xms_edov)', () => {
    assert.equal(person({ email: 'A@Corp.Example', email_verified: true }).email, 'a@corp.example');
    assert.equal(person({ email: 'a@corp.example', email_verified: false }).email, undefined);
    assert.equal(person({ email: 'a@corp.example' }).email, undefined);
    assert.equal(person({ email: 'a@corp.example', xms_edov: true }).email, 'a@corp.example');
    assert.equal(person({ preferred_username: 'a@corp.example' }).email, undefined, "Entra's preferred_username is not an address");
    assert.equal(person({ preferred_username: 'a@corp.example' }).name, 'a@corp.example');
  });

  it('names the person by issuer and sub, and notices an Entra group overage', () => {
    const p = person({ _claim_names: { groups: 'src1' }, oid: 'oid-9' });
    assert.equal(p.subject, `${ISSUER}#s-1`);
    assert.equal(p.objectId, 'oid-9');
    assert.equal(p.groupsOverage, true);
    assert.deepEqual(p.groups, []);
  });

  const cases: Array<[string, Partial<IdpPolicyConfig>, Record<string, unknown>, string | boolean]> = [
    ['an allowed group', { allowedGroups: ['g-readers'] }, { groups: ['g-other', 'g-readers'] }, true],
    ['another group', { allowedGroups: ['g-readers'] }, { groups: ['g-other'] }, 'not_approved'],
    ['group names compare exactly', { allowedGroups: ['Data-Team'] }, { groups: ['data-team'] }, 'not_approved'],
    [
      'a verified address in an allowed domain',
      { allowedEmailDomains: ['corp.example'] },
      { email: 'x@corp.example', email_verified: true },
      true,
    ],
    [
      'an unverified address in an allowed domain',
      { allowedEmailDomains: ['corp.example'] },
      { email: 'x@corp.example', email_verified: false },
      'not_approved',
    ],
    [
      'a subdomain is not the domain',
      { allowedEmailDomains: ['corp.example'] },
      { email: 'x@evil.corp.example', email_verified: true },
      'not_approved',
    ],
    ['a listed address, any case', { allowedUsers: ['X@Corp.Example'] }, { email: 'x@corp.example', email_verified: true }, true],
    ['a listed sub', { allowedUsers: ['s-1'] }, {}, true],
    ['a listed Entra oid', { allowedUsers: ['oid-9'] }, { oid: 'oid-9' }, true],
    ['an admin group', { adminGroups: ['g-dba'] }, { groups: ['g-dba'] }, true],
    ['overage when groups decide', { allowedGroups: ['g-readers'] }, { _claim_names: { groups: 'src1' } }, 'groups_overage'],
    [
      'overage but an allowed domain',
      { allowedGroups: ['g-readers'], allowedEmailDomains: ['corp.example'] },
      { _claim_names: { groups: 'src1' }, email: 'x@corp.example', email_verified: true },
      true,
    ],
  ];
  for (const [label, config, claims, expected] of cases) {
    it(`${label}: ${expected === true ? 'may connect' : `refused (${String(expected)})`}`, () => {
      const answer = idpPolicy(rules(config)).admit(person(claims));
      if (expected === true) assert.equal(answer.ok, true);
      else assert.deepEqual(answer.ok ? 'ok' : answer.code, expected);
    });
  }

  it('admin only for OIDC_ADMIN_GROUPS members; an issuer no longer configured is refused', () => {
    const policy = idpPolicy(rules({ allowedGroups: ['g-readers'], adminGroups: ['g-dba'] }));
    assert.deepEqual(policy.admit(person({ groups: ['g-readers'] })), { ok: true, admin: false });
    assert.deepEqual(policy.admit(person({ groups: ['g-dba'] })), { ok: true, admin: true });
    const stranger = policy.admit(person({ groups: ['g-dba'] }, 'https://old-idp.example'));
    assert.equal(stranger.ok ? 'ok' : stranger.code, 'untrusted_issuer');
  });

  it('local accounts are judged by AUTH_USERS and are administrators; each person by their own source', () => {
    const identities = createIdentities([localAccounts(['ann']), idpPolicy(rules({ allowedUsers: ['ann'] }))], true);
    assert.deepEqual(identities.admit(localPerson('ann', 0)), { ok: true, admin: true });
    assert.equal(identities.admit(localPerson('bob', 0)).ok, false);
    assert.equal(identities.admit({ ...person({}), idpSubject: 'bob' }).ok, false, 'an IdP person is judged by the IdP rules');
    assert.equal(createIdentities([localAccounts(['ann'])], true).admit(person({})).ok, false, 'no IdP source: refused');
  });
});

describe('identity configuration', () => {
  const idp = { OIDC_ISSUER: 'https://idp.example/realms/corp', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's', OIDC_ALLOWED_GROUPS: 'g' };
  const build = (env: Record<string, string>) => oauthConfigFromEnv(oauthEnvSchema.parse(env));
  const refusedFor = (env: Record<string, string>, variable: string) =>
    assert.throws(
      () => build(env),
      (error: unknown) => error instanceof OAuthConfigError && error.variable === variable,
    );

  it('OIDC_ISSUER alone turns OAuth on with local accounts off, and the defaults are documented ones', () => {
    const config = build(idp);
    assert.equal(config.enabled, true);
    assert.deepEqual(config.users, []);
    assert.deepEqual(config.identity.oidc?.scopes, ['openid', 'email', 'profile']);
    assert.equal(config.identity.policy.groupsClaim, 'groups');
    assert.equal(config.identity.maxGrantDays, 90);
  });

  for (const [label, env, variable] of [
    ['no client id', { ...idp, OIDC_CLIENT_ID: '' }, 'OIDC_CLIENT_ID'],
    ['no secret and no private key', { ...idp, OIDC_CLIENT_SECRET: '' }, 'OIDC_CLIENT_SECRET'],
    ['no rule saying who may connect', { ...idp, OIDC_ALLOWED_GROUPS: '' }, 'OIDC_ALLOWED_GROUPS'],
    ['scopes without openid', { ...idp, OIDC_SCOPES: 'email' }, 'OIDC_SCOPES'],
    ['an http issuer', { ...idp, OIDC_ISSUER: 'http://idp.example' }, 'OIDC_ISSUER'],
    ["Entra's multi-tenant issuer", { ...idp, OIDC_ISSUER: 'https://login.microsoftonline.com/common/v2.0' }, 'OIDC_ISSUER'],
    ['an http ID-JAG issuer', { OAUTH_EMA_TRUSTED_ISSUERS: 'http://idp.example', OIDC_ALLOWED_GROUPS: 'g' }, 'OAUTH_EMA_TRUSTED_ISSUERS'],
    ['ID-JAG issuers without a rule', { OAUTH_EMA_TRUSTED_ISSUERS: 'https://idp.example' }, 'OIDC_ALLOWED_GROUPS'],
  ] as const) {
    it(`refuses ${label}, naming ${variable}`, () => refusedFor({ ...env }, variable));
  }

  it('OIDC_ALLOW_HTTP_ISSUER is refused when NODE_ENV=production', () => {
    const base = {
      MSSQL_HOST: 'h',
      MSSQL_USER: 'u',
      MSSQL_PASSWORD: 'p',
      MSSQL_DATABASE: 'd',
      PUBLIC_BASE_URL: 'https://data.example.com',
    };
    assert.throws(
      () => loadConfig({ ...base, ...idp, OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_ALLOW_HTTP_ISSUER: 'true', NODE_ENV: 'production' }),
      /OIDC_ALLOW_HTTP_ISSUER/,
    );
    assert.equal(
      loadConfig({ ...base, ...idp, OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_ALLOW_HTTP_ISSUER: 'true', NODE_ENV: 'test' }).oauth?.enabled,
      true,
    );
  });
});
