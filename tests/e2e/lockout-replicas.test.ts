/**
 * Sign-in failures and lockouts counted for the deployment: two connector replicas, each with its
 * own OAuth store (separate DATA_DIRs, as on two hosts), sharing only Redis (STATE_STORE_URL).
 * Wrong passwords alternate between them over real sockets; the lockout holds on both.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { browser, formPost, parseForm, PASSWORD, USER } from '../oauth/helpers.ts';
import type { OAuthServer } from '../oauth/server.ts';
import { startOAuthServer } from '../oauth/server.ts';

const MAX = 3;
let redis: TestRedis;
let a: OAuthServer;
let b: OAuthServer;

before(async () => {
  redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  const env = { STATE_STORE_URL: redis.url, LOGIN_MAX_ATTEMPTS: String(MAX), LOGIN_RATE_PER_MINUTE: '1000' };
  a = await startOAuthServer({ env });
  b = await startOAuthServer({ env });
});

after(async () => {
  await b?.close();
  await a?.close();
  await redis?.close();
});

/** One sign-in on `server` as a browser would: the form (and its CSRF cookie), then the post. */
async function signIn(server: OAuthServer, password: string): Promise<number> {
  const agent = browser(fetch);
  const form = parseForm(await (await agent.go(`${server.base}/signin`)).text());
  const cookie = [...agent.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${server.base}/signin`, {
    ...formPost({ ...form.fields, username: USER, password }, { Cookie: cookie }),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  return response.status;
}

describe('sign-in lockout shared across replicas through Redis', () => {
  it(`locks the username and address out on every replica after ${MAX} failures spread over two replicas, even for the right password`, async () => {
    const failures = [await signIn(a, 'wrong-1'), await signIn(b, 'wrong-2'), await signIn(a, 'wrong-3')];
    assert.deepEqual(failures, [401, 401, 401]);
    assert.equal(await signIn(b, PASSWORD), 429, 'replica B counts the failures made on A');
    assert.equal(await signIn(a, PASSWORD), 429);
  });
});
