/**
 * Issue 10 item 7 over real sockets against the real server (sqlite store, scrypt): 40 parallel
 * wrong passwords from one address. The attempt is reserved before the password is hashed, so at
 * most the allowed number is evaluated (401 and an `oauth.signin_failed` line); the rest are 429.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browser, formPost, parseForm, USER } from '../oauth/helpers.ts';
import { startOAuthServer } from '../oauth/server.ts';

const PARALLEL = 40;

describe('sign-in race: parallel guesses from one address', () => {
  const cases: Array<{ limit: string; env: Record<string, string>; evaluated: number }> = [
    { limit: 'LOGIN_MAX_ATTEMPTS=5 (the pair)', env: { LOGIN_MAX_ATTEMPTS: '5', LOGIN_RATE_PER_MINUTE: '1000' }, evaluated: 5 },
    {
      limit: 'LOGIN_IP_MAX_ATTEMPTS=7 (the address)',
      env: { LOGIN_MAX_ATTEMPTS: '100', LOGIN_IP_MAX_ATTEMPTS: '7', LOGIN_RATE_PER_MINUTE: '1000' },
      evaluated: 7,
    },
    {
      limit: 'LOGIN_GLOBAL_MAX_ATTEMPTS=4 (the username)',
      env: { LOGIN_MAX_ATTEMPTS: '100', LOGIN_GLOBAL_MAX_ATTEMPTS: '4', LOGIN_RATE_PER_MINUTE: '1000' },
      evaluated: 4,
    },
    {
      limit: 'LOGIN_RATE_PER_MINUTE=10 (the app rate limit)',
      env: { LOGIN_MAX_ATTEMPTS: '100', LOGIN_RATE_PER_MINUTE: '10' },
      evaluated: 10,
    },
  ];
  for (const { limit, env, evaluated } of cases) {
    it(`${PARALLEL} parallel wrong passwords under ${limit}: exactly ${evaluated} evaluated, the rest 429`, async () => {
      const server = await startOAuthServer({ env: { LOGIN_IP_MAX_ATTEMPTS: '1000', LOGIN_GLOBAL_MAX_ATTEMPTS: '1000', ...env } });
      try {
        const agent = browser(fetch);
        const form = parseForm(await (await agent.go(`${server.base}/signin`)).text());
        const cookie = [...agent.jar].map(([k, v]) => `${k}=${v}`).join('; ');
        const responses = await Promise.all(
          Array.from({ length: PARALLEL }, (_, i) =>
            fetch(`${server.base}/signin`, {
              ...formPost({ ...form.fields, username: USER, password: `guess-${i}` }, { Cookie: cookie }),
              redirect: 'manual',
            }),
          ),
        );
        const statuses = responses.map((r) => r.status);
        await Promise.all(responses.map((r) => r.arrayBuffer()));
        assert.equal(statuses.filter((s) => s === 401).length, evaluated, statuses.join(','));
        assert.equal(statuses.filter((s) => s === 429).length, PARALLEL - evaluated, statuses.join(','));
        assert.equal(server.logs.filter((line) => line.msg === 'oauth.signin_failed').length, evaluated);
      } finally {
        await server.close();
      }
    });
  }
});
