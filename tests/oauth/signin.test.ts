import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeUrl, REDIRECT, registerClient } from './flow.ts';
import { BASE, browser, createHarness, formPost, parseForm, PASSWORD, pkcePair, USER } from './helpers.ts';

async function signinForm(agent: ReturnType<typeof browser>, returnTo = '') {
  const page = await agent.go(`${BASE}/signin?return_to=${encodeURIComponent(returnTo)}`);
  return parseForm(await page.text());
}

describe('sign-in: CSRF, lockout, redirects', () => {
  it('a correct password starts an HttpOnly session scoped to the prefix and returns to the request', async () => {
    const h = await createHarness();
    const agent = browser(h.fetch);
    const form = await signinForm(agent, '/authorize?client_id=x');
    const response = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('Location'), `${BASE}/authorize?client_id=x`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('mdr_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /Secure/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Path=\/chatgpt/);
  });

  it('a sign-in post without the CSRF cookie/token pair is refused', async () => {
    const h = await createHarness();
    const noToken = await h.fetch(`${BASE}/signin`, formPost({ username: USER, password: PASSWORD, return_to: '' }));
    assert.equal(noToken.status, 403);
    assert.equal(
      noToken.headers.getSetCookie().some((line) => line.startsWith('mdr_session=')),
      false,
    );
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    const forged = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, csrf: 'A'.repeat(32), username: USER, password: PASSWORD }));
    assert.equal(forged.status, 403);
    const crossSite = await h.fetch(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal(crossSite.status, 403, "the token alone, without this browser's cookie, does not pass");
  });

  it('a consent post without the session CSRF token is refused and issues no code', async () => {
    const h = await createHarness();
    const client = await registerClient(h.fetch);
    const pkce = pkcePair();
    const params = {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
    };
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    const consent = parseForm(await (await agent.go(authorizeUrl(params))).text());
    const { csrf: _drop, ...withoutCsrf } = consent.fields;
    const missing = await agent.go(`${BASE}/authorize`, formPost({ ...withoutCsrf, decision: 'approve' }));
    assert.equal(missing.status, 403);
    assert.equal(missing.headers.get('Location'), null);
    const wrong = await agent.go(`${BASE}/authorize`, formPost({ ...consent.fields, csrf: 'guess', decision: 'approve' }));
    assert.equal(wrong.status, 403);
    const noSession = await h.fetch(`${BASE}/authorize`, formPost({ ...consent.fields, decision: 'approve' }));
    assert.equal(noSession.status, 302);
    assert.match(noSession.headers.get('Location') ?? '', /\/signin\?/, 'without the cookie the post only leads to sign-in');
  });

  it('failures from one address lock that (username, address) pair, even with the right password, and the page says how long', async () => {
    const h = await createHarness({ env: { LOGIN_MAX_ATTEMPTS: '3', LOGIN_LOCKOUT_MINUTES: '15' } });
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    const peer = { 'x-test-peer': '10.9.0.1' };
    for (let i = 0; i < 3; i += 1) {
      const wrong = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: `guess-${i}` }, peer));
      assert.equal(wrong.status, 401);
    }
    const locked = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }, peer));
    assert.equal(locked.status, 429);
    assert.equal(locked.headers.get('Retry-After'), String(15 * 60));
    assert.match(await locked.text(), /Try again in 15 minutes\./);
    assert.ok(h.logger.lines.some((line) => line.event === 'oauth.signin_locked'));
    h.clock.advance(15 * 60_000 + 1);
    const later = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }, peer));
    assert.equal(later.status, 303, 'the lockout ends after LOGIN_LOCKOUT_MINUTES');
  });

  it('a stranger cannot lock the operator out: wrong passwords from one address leave other addresses free', async () => {
    const h = await createHarness({ env: { LOGIN_MAX_ATTEMPTS: '3' } });
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    for (let i = 0; i < 10; i += 1) {
      await agent.go(
        `${BASE}/signin`,
        formPost({ ...form.fields, username: USER, password: `guess-${i}` }, { 'x-test-peer': '203.0.113.66' }),
      );
    }
    const operator = await agent.go(
      `${BASE}/signin`,
      formPost({ ...form.fields, username: USER, password: PASSWORD }, { 'x-test-peer': '198.51.100.2' }),
    );
    assert.equal(operator.status, 303);
  });

  it('each further lockout of the same pair doubles the wait (backoff)', async () => {
    const h = await createHarness({ env: { LOGIN_MAX_ATTEMPTS: '2', LOGIN_LOCKOUT_MINUTES: '10' } });
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    const peer = { 'x-test-peer': '10.1.1.1' };
    const waits: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 2; i += 1) {
        assert.equal((await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: 'x' }, peer))).status, 401);
      }
      const locked = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: 'x' }, peer));
      assert.equal(locked.status, 429);
      waits.push(locked.headers.get('Retry-After') ?? '');
      h.clock.advance(Number(locked.headers.get('Retry-After')) * 1000 + 1);
    }
    assert.deepEqual(waits, ['600', '1200', '2400']);
  });

  it('a username is locked for everyone only past LOGIN_GLOBAL_MAX_ATTEMPTS failures from all addresses', async () => {
    const h = await createHarness({ env: { LOGIN_MAX_ATTEMPTS: '3', LOGIN_GLOBAL_MAX_ATTEMPTS: '8' } });
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    for (let i = 0; i < 8; i += 1) {
      const wrong = await agent.go(
        `${BASE}/signin`,
        formPost({ ...form.fields, username: USER, password: 'x' }, { 'x-test-peer': `10.7.0.${i}` }),
      );
      assert.equal(wrong.status, 401, `failure ${i + 1} from its own address is evaluated`);
    }
    const locked = await agent.go(
      `${BASE}/signin`,
      formPost({ ...form.fields, username: USER, password: PASSWORD }, { 'x-test-peer': '10.7.1.1' }),
    );
    assert.equal(locked.status, 429);
    assert.match(await locked.text(), /Try again in \d+ minutes?\./);
  });

  it('brute-force from one IP across usernames hits the per-address lockout', async () => {
    const h = await createHarness({ env: { LOGIN_IP_MAX_ATTEMPTS: '3' } });
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    const peer = { 'x-test-peer': '192.0.2.7' };
    for (const name of ['a', 'b', 'c']) {
      assert.equal((await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: name, password: 'x' }, peer))).status, 401);
    }
    const locked = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }, peer));
    assert.equal(locked.status, 429);
    const elsewhere = await agent.go(
      `${BASE}/signin`,
      formPost({ ...form.fields, username: USER, password: PASSWORD }, { 'x-test-peer': '192.0.2.8' }),
    );
    assert.equal(elsewhere.status, 303);
  });

  const sequences: Array<{ name: string; env: Record<string, string>; steps: Array<[password: 'right' | 'wrong', status: number]> }> = [
    {
      name: 'a success clears the pair: three more wrong passwords are evaluated before the pair waits',
      env: { LOGIN_MAX_ATTEMPTS: '3', LOGIN_IP_MAX_ATTEMPTS: '50' },
      steps: [
        ['wrong', 401],
        ['wrong', 401],
        ['right', 303],
        ['wrong', 401],
        ['wrong', 401],
        ['wrong', 401],
        ['wrong', 429],
        ['right', 429],
      ],
    },
    {
      name: 'a success is not counted against the address',
      env: { LOGIN_MAX_ATTEMPTS: '50', LOGIN_IP_MAX_ATTEMPTS: '3' },
      steps: [
        ['wrong', 401],
        ['wrong', 401],
        ['right', 303],
        ['right', 303],
        ['wrong', 401],
        ['wrong', 429],
      ],
    },
    {
      name: 'the app limits sign-in posts per address per minute, right passwords included',
      env: { LOGIN_RATE_PER_MINUTE: '3' },
      steps: [
        ['right', 303],
        ['right', 303],
        ['right', 303],
        ['right', 429],
      ],
    },
  ];
  for (const { name, env, steps } of sequences) {
    it(`${name} (${steps.map(([p, s]) => `${p}→${s}`).join(', ')})`, async () => {
      const h = await createHarness({ env });
      const agent = browser(h.fetch);
      const form = await signinForm(agent);
      const statuses: number[] = [];
      for (const [password] of steps) {
        const fields = { ...form.fields, username: USER, password: password === 'right' ? PASSWORD : 'nope' };
        statuses.push((await agent.go(`${BASE}/signin`, formPost(fields, { 'x-test-peer': '192.0.2.9' }))).status);
      }
      assert.deepEqual(
        statuses,
        steps.map(([, status]) => status),
      );
    });
  }

  it('logs failed and locked sign-ins with a keyed digest of the username, never the name', async () => {
    const h = await createHarness({ env: { LOGIN_MAX_ATTEMPTS: '1' } });
    const agent = browser(h.fetch);
    const form = await signinForm(agent);
    for (let i = 0; i < 2; i += 1) {
      await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: 'alice-typo-password', password: 'x' }));
    }
    const lines = h.logger.lines.filter((line) => line.event === 'oauth.signin_failed' || line.event === 'oauth.signin_locked');
    assert.equal(lines.length, 2);
    assert.ok(!JSON.stringify(lines).includes('alice-typo-password'));
  });

  for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/token', 'javascript:alert(1)']) {
    it(`sign-in never redirects to ${target} (no open redirect)`, async () => {
      const h = await createHarness();
      const agent = browser(h.fetch);
      const form = await signinForm(agent, target);
      assert.equal(form.fields.return_to, '');
      const response = await agent.go(
        `${BASE}/signin`,
        formPost({ ...form.fields, return_to: target, username: USER, password: PASSWORD }),
      );
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('Location'), `${BASE}/signin/done`);
    });
  }

  it('the sign-in page is plain accessible HTML with labelled fields and no external assets', async () => {
    const h = await createHarness();
    const response = await h.fetch(`${BASE}/signin`);
    const page = await response.text();
    assert.match(page, /<html lang="en">/);
    assert.match(page, /<label for="username">/);
    assert.match(page, /<label for="password">/);
    assert.doesNotMatch(page, /<script|<link|src=/);
    assert.equal(response.headers.get('X-Frame-Options'), 'DENY');
  });
});
