/**
 * Sign-in at the company IdP (a real oidc-provider on 127.0.0.1) through the connector's own
 * authorization server, driven through both sides' real forms: who gets a code, who does not, and
 * the attacks on the sign-in answer (state, nonce, mix-up, expired and unsigned ID tokens).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, importJWK, SignJWT } from 'jose';
import { idpEnv, startCompanyIdp, type CompanyIdp } from './company-idp.ts';
import { registerClient } from './flow.ts';
import { BASE, createHarness, ORIGIN, steppingClock, type Harness } from './helpers.ts';
import { connect, consentAfterCallback, deliver, splitFetch, toIdpAndBack } from './oidc-flow.ts';

const PEOPLE = {
  alice: { email: 'alice@corp.example', groups: ['sql-readers'] },
  bob: { email: 'bob@elsewhere.example', groups: ['marketing'] },
  carol: { email: 'carol@corp.example', email_verified: false, groups: [] },
  dave: { email: 'dave@corp.example', groups: [] },
  erin: {
    email: 'erin@elsewhere.example',
    extra: { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph.example/groups' } } },
  },
  root: { email: 'root@elsewhere.example', groups: ['dba'] },
};

let idp: CompanyIdp;
let otherIdp: CompanyIdp;
/** Token responses from the IdP pass through here: tests replace the ID token in them. */
let tamper: ((body: Record<string, unknown>) => Promise<Record<string, unknown>>) | undefined;
/** The last ID token the IdP issued (before tampering). */
let lastIdToken: string | undefined;

const oidcFetch = async (url: string, init: RequestInit) => {
  const response = await fetch(url, init);
  if (!url.endsWith('/token') || !response.ok) return response;
  const body = (await response.json()) as Record<string, unknown>;
  lastIdToken = String(body.id_token);
  const changed = tamper ? await tamper(body) : body;
  return new Response(JSON.stringify(changed), { status: response.status, headers: response.headers });
};

function env(extra: Record<string, string> = {}) {
  return idpEnv(idp, { OIDC_ALLOWED_EMAIL_DOMAINS: 'corp.example', OIDC_ADMIN_GROUPS: 'dba', ...extra });
}

async function harness(extra: Record<string, string> = {}, options: Partial<Parameters<typeof createHarness>[0]> = {}): Promise<Harness> {
  return createHarness({ env: env(extra), oidcFetch, clock: steppingClock(Date.now()), ...options });
}

/** Signs alice in with the IdP's token responses passed through `change`; expects the verification to fail. */
async function refusedWhenTampered(h: Harness, change: NonNullable<typeof tamper>) {
  tamper = change;
  try {
    const { returned } = await signIn(h, 'alice');
    assert.equal((await deliver(returned)).status, 502);
  } finally {
    tamper = undefined;
  }
  assert.deepEqual(refusals(h), ['verification_failed']);
}

async function signIn(h: Harness, login: string, options: Parameters<typeof toIdpAndBack>[3] = {}) {
  const fetcher = splitFetch(ORIGIN, h.fetch);
  const client = await registerClient(h.fetch);
  const returned = await toIdpAndBack(fetcher, client.client_id, login, options);
  return { client, returned };
}

const refusalError = (h: Harness) => JSON.stringify(h.logger.lines.find((line) => line.event === 'oauth.oidc_signin_refused')?.fields);
const refusals = (h: Harness) =>
  h.logger.lines.filter((line) => line.event === 'oauth.oidc_signin_refused').map((line) => line.fields.code);

describe('sign-in at the company IdP', () => {
  before(async () => {
    const redirectUris = [`${BASE}/signin/oidc/callback`];
    idp = await startCompanyIdp({ redirectUris, people: PEOPLE });
    otherIdp = await startCompanyIdp({ redirectUris, people: PEOPLE });
  });
  after(async () => {
    await idp.close();
    await otherIdp.close();
  });

  it('a person in an allowed group signs in at the IdP, consents and the token carries their subject, e-mail and groups', async () => {
    const h = await harness();
    const { tokens } = await connect(h, 'alice');
    const access = tokens.access_token;
    assert.equal(decodeJwt(access).sub, `${idp.issuer}#alice`);
    const call = await h.fetch(`${BASE}/mcp`, { headers: { Authorization: `Bearer ${access}` } });
    const { principal } = (await call.json()) as { principal: Record<string, unknown> };
    assert.equal(principal.email, 'alice@corp.example');
    assert.deepEqual(principal.groups, ['sql-readers']);
    assert.equal(principal.admin, false);
  });

  for (const [login, code, text] of [
    ['bob', 'not_approved', /not approved for this connector/i],
    ['carol', 'not_approved', /not approved/i],
    ['erin', 'groups_overage', /too many/],
  ] as const) {
    it(`${login} (${code === 'groups_overage' ? 'Entra group overage, no other rule' : login === 'carol' ? 'address in an allowed domain but email_verified false' : 'outside the allowed groups'}) sees a "not approved" page and the client gets no code`, async () => {
      const h = await harness();
      const { returned } = await signIn(h, login);
      const page = await deliver(returned);
      assert.equal(page.status, 403);
      const body = await page.text();
      assert.match(body, /Not approved for this connector/);
      assert.match(body, text);
      assert.deepEqual(refusals(h), [code]);
      assert.equal(h.logger.lines.filter((line) => line.event === 'oauth.consent_granted').length, 0);
      // No session was started: the authorization request goes back to sign-in, never to consent.
      const again = await returned.agent.go(`${BASE}/authorize?client_id=x`);
      assert.notEqual(again.status, 200);
    });
  }

  it('a verified address in an allowed domain is enough without a group', async () => {
    const h = await harness();
    const { returned } = await signIn(h, 'dave');
    await consentAfterCallback(returned, await deliver(returned));
  });

  it('a member of OIDC_ADMIN_GROUPS may connect and is marked admin', async () => {
    const h = await harness();
    const { tokens } = await connect(h, 'root');
    const call = await h.fetch(`${BASE}/mcp`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(((await call.json()) as { principal: { admin: boolean } }).principal.admin, true);
  });

  it('on /records, OIDC_ADMIN_GROUPS members may open any cached result and other people may not', async () => {
    const h = await harness();
    for (const [login, admin] of [
      ['root', true],
      ['alice', false],
    ] as const) {
      const { returned } = await signIn(h, login);
      assert.equal((await deliver(returned)).status, 303);
      const page = await (await returned.agent.go(`${BASE}/records/t.dbo.Orders.1`)).text();
      assert.match(page, new RegExp(`for ${idp.issuer}#${login}`));
      assert.equal(page.includes('(any cached result)'), admin, login);
    }
  });

  it('a wrong state is refused and starts no session', async () => {
    const h = await harness();
    const { returned } = await signIn(h, 'alice');
    const forged = new URL(returned.callback);
    forged.searchParams.set('state', 'attacker-chosen-state-value');
    const page = await deliver(returned, forged.href);
    assert.equal(page.status, 400);
    assert.deepEqual(refusals(h), ['state_mismatch']);
  });

  it('a sign-in answer delivered twice (same browser cookie, same state) is refused the second time', async () => {
    const h = await harness();
    const { returned } = await signIn(h, 'alice');
    const saved = new Map(returned.agent.jar);
    const first = await deliver(returned);
    assert.equal(first.status, 303);
    for (const [name, value] of saved) returned.agent.jar.set(name, value);
    const second = await deliver(returned);
    assert.equal(second.status, 400);
    assert.deepEqual(refusals(h), ['state_replayed']);
  });

  it('an ID token from an earlier sign-in (another nonce) is refused', async () => {
    const h = await harness();
    const earlier = await signIn(h, 'alice');
    assert.equal((await deliver(earlier.returned)).status, 303);
    const replayed = lastIdToken;
    await refusedWhenTampered(h, async (body) => ({ ...body, id_token: replayed }));
    assert.match(refusalError(h), /"claim":"nonce"/);
  });

  it('mix-up: an answer from another IdP (its code, iss and state) is refused', async () => {
    const h = await harness();
    const { returned } = await signIn(h, 'alice', {
      rewriteIdp: (location) => location.replace(idp.issuer, otherIdp.issuer),
    });
    assert.equal(new URL(returned.callback).searchParams.get('iss'), otherIdp.issuer);
    assert.equal((await deliver(returned)).status, 502);
    assert.deepEqual(refusals(h), ['verification_failed']);
    assert.match(refusalError(h), /\\"iss\\" \(issuer\) response parameter/);
  });

  it("mix-up: an ID token signed by another IdP in our IdP's token response is refused", async () => {
    const h = await harness();
    const key = await importJWK({ ...otherIdp.signingKey, kid: 'other-idp-key' }, 'RS256');
    await refusedWhenTampered(h, async (body) => {
      const claims = decodeJwt(String(body.id_token));
      const forged = await new SignJWT({ ...claims, iss: otherIdp.issuer })
        .setProtectedHeader({ alg: 'RS256', kid: 'other-idp-key' })
        .sign(key);
      return { ...body, id_token: forged };
    });
    assert.match(refusalError(h), /"claim":"iss"/);
  });

  it('an unsigned ID token (alg none) is refused', async () => {
    const h = await harness();
    await refusedWhenTampered(h, async (body) => {
      const [, payload] = String(body.id_token).split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return { ...body, id_token: `${header}.${payload}.` };
    });
    assert.match(refusalError(h), /\\"alg\\" header/);
  });

  it('an expired ID token is refused (the IdP issues them for 60 s; the server clock is 5 minutes on)', async () => {
    const clock = steppingClock(Date.now());
    const h = await harness({}, { clock });
    const { returned } = await signIn(h, 'alice');
    clock.advance(5 * 60_000);
    assert.equal((await deliver(returned)).status, 502);
    assert.deepEqual(refusals(h), ['verification_failed']);
    assert.match(refusalError(h), /"claim":"exp"/);
  });
});
