/**
 * The real nginx, configured from nginx/templates and nginx/snippets, in front of an echo upstream
 * that reports what it received: which path reaches the connector, with which headers, and what
 * nginx answers itself (redirects, 404s, preflights, rate limits).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { httpRequest, httpStream } from '../../src/doctor/http.ts';
import { startEchoUpstream } from './helpers/echo-upstream.ts';
import type { EchoUpstream } from './helpers/echo-upstream.ts';
import { startNginx } from './helpers/nginx.ts';
import type { RunningNginx } from './helpers/nginx.ts';
import { makeTestPki } from './helpers/tls.ts';
import type { TestPki } from './helpers/tls.ts';

let dir: string;
let upstream: EchoUpstream;
let nginx: RunningNginx;
let pki: TestPki;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nginx-routing-'));
  pki = await makeTestPki(path.join(dir, 'certs'));
  upstream = await startEchoUpstream();
  nginx = await startNginx({
    dir: path.join(dir, 'nginx'),
    vars: { DOMAIN: 'localhost', ENVIRONMENT_PATH: '/chatgpt', HTTPS_PORT: '443' },
    upstream: upstream.address,
    certDir: pki.certDir,
    webroot: path.join(dir, 'acme'),
    extraEnvironments: ['/claude /claude;'],
  });
});

after(async () => {
  await nginx?.stop();
  await upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
}

async function get(p: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await httpRequest(`${nginx.httpsUrl}${p}`, init, { ca: pki.ca });
  const echo =
    res.headers['content-type']?.startsWith('application/json') && res.body.includes('"url"') ? (JSON.parse(res.body) as Echo) : undefined;
  return { ...res, echo };
}

describe('nginx routes every public path to the connector path and environment (checklist item 37)', () => {
  const table: [string, string, string][] = [
    // public path, connector path, X-Environment-Path
    ['/chatgpt/mcp', '/mcp', '/chatgpt'],
    ['/chatgpt/sse', '/sse', '/chatgpt'],
    ['/chatgpt/messages?sessionId=abc', '/messages?sessionId=abc', '/chatgpt'],
    ['/chatgpt/register', '/register', '/chatgpt'],
    ['/chatgpt/token', '/token', '/chatgpt'],
    ['/chatgpt/revoke', '/revoke', '/chatgpt'],
    ['/chatgpt/authorize?client_id=x&state=y', '/authorize?client_id=x&state=y', '/chatgpt'],
    ['/chatgpt/jwks.json', '/jwks.json', '/chatgpt'],
    ['/chatgpt/health', '/health', '/chatgpt'],
    ['/chatgpt/records/a%20b', '/records/a%20b', '/chatgpt'],
    ['/chatgpt', '/', '/chatgpt'],
    ['/healthz', '/healthz', '/chatgpt'],
    // root discovery: the default environment's documents
    ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server', '/chatgpt'],
    ['/.well-known/openid-configuration', '/.well-known/openid-configuration', '/chatgpt'],
    ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource', '/chatgpt'],
    // RFC 8414 / RFC 9728 path-inserted forms and ChatGPT's aliases
    ['/.well-known/oauth-authorization-server/chatgpt', '/.well-known/oauth-authorization-server', '/chatgpt'],
    ['/.well-known/oauth-authorization-server/chatgpt/mcp', '/.well-known/oauth-authorization-server', '/chatgpt'],
    ['/.well-known/oauth-authorization-server/chatgpt/sse', '/.well-known/oauth-authorization-server', '/chatgpt'],
    ['/.well-known/openid-configuration/chatgpt', '/.well-known/openid-configuration', '/chatgpt'],
    ['/.well-known/oauth-protected-resource/chatgpt/mcp', '/.well-known/oauth-protected-resource/chatgpt/mcp', '/chatgpt'],
    ['/.well-known/oauth-protected-resource/chatgpt/sse', '/.well-known/oauth-protected-resource/chatgpt/sse', '/chatgpt'],
    ['/.well-known/oauth-protected-resource/chatgpt', '/.well-known/oauth-protected-resource/chatgpt', '/chatgpt'],
    // discovery appended to the resource or under the prefix
    ['/chatgpt/sse/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server', '/chatgpt'],
    ['/chatgpt/mcp/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/chatgpt/mcp', '/chatgpt'],
    ['/chatgpt/sse/.well-known/openid-configuration', '/.well-known/openid-configuration', '/chatgpt'],
    ['/chatgpt/.well-known/openid-configuration', '/.well-known/openid-configuration', '/chatgpt'],
    ['/chatgpt/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server', '/chatgpt'],
    // double slashes are merged before routing
    ['//chatgpt//mcp', '/mcp', '/chatgpt'],
    ['/.well-known//oauth-authorization-server//chatgpt', '/.well-known/oauth-authorization-server', '/chatgpt'],
    ['//.well-known/oauth-protected-resource//chatgpt//sse', '/.well-known/oauth-protected-resource/chatgpt/sse', '/chatgpt'],
    // a second environment is one line in snippets/environments.conf
    ['/claude/mcp', '/mcp', '/claude'],
    ['/.well-known/oauth-protected-resource/claude/mcp', '/.well-known/oauth-protected-resource/claude/mcp', '/claude'],
  ];
  for (const [publicPath, connectorPath, environment] of table) {
    test(`${publicPath} reaches ${connectorPath} as ${environment}`, async () => {
      const res = connectorPath === '/sse' ? await streamOnce(publicPath) : await get(publicPath);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.echo?.url, connectorPath);
      assert.equal(res.echo?.headers['x-environment-path'], environment);
      assert.equal(res.echo?.headers['x-forwarded-proto'], 'https');
    });
  }
});

/** GET on an SSE path through the echo upstream: the proxied request as the upstream saw it. */
async function streamOnce(p: string) {
  const before = upstream.seen.length;
  const stream = await httpStream(`${nginx.httpsUrl}${p}`, {}, { ca: pki.ca });
  await stream.waitFor((t) => t.includes('event: endpoint'), 5000);
  stream.close();
  const seen = upstream.seen[before];
  return {
    status: stream.status,
    body: '',
    echo: seen ? { method: seen.method, url: seen.url, headers: seen.headers as Record<string, string | undefined> } : undefined,
  };
}

describe('nginx answers by itself', () => {
  for (const p of [
    '/unknown/mcp',
    '/.well-known/foo',
    '/.well-known/oauth-authorization-server/unknown',
    '/unknown/sse/.well-known/oauth-authorization-server',
    '/',
    '/.well-known/acme-challenge/x',
  ]) {
    test(`${p} is a JSON 404 that never reaches the connector`, async () => {
      const before = upstream.seen.length;
      const res = await get(p);
      assert.equal(res.status, 404);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(res.body), { error: 'not_found' });
      assert.equal(upstream.seen.length, before);
    });
  }

  test('unknown discovery documents under a prefix go to the connector, which owns their 404', async () => {
    const res = await get('/chatgpt/sse/.well-known/unknown-doc');
    assert.equal(res.echo?.url, '/.well-known/unknown-doc');
  });

  test('a CORS preflight on discovery, register and token is a 204 allowing any origin', async () => {
    for (const p of ['/.well-known/oauth-authorization-server/chatgpt', '/chatgpt/register', '/chatgpt/token']) {
      const res = await get(p, {
        method: 'OPTIONS',
        headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST' },
      });
      assert.equal(res.status, 204, p);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.match(String(res.headers['access-control-allow-headers']), /Authorization/);
    }
  });

  test('HTTPS responses carry HSTS, also on streaming endpoints', async () => {
    for (const p of ['/chatgpt/mcp', '/chatgpt/health']) {
      const res = await get(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
    }
  });

  test('port 80 redirects to HTTPS on the configured domain, keeping path and query', async () => {
    const res = await httpRequest(`${nginx.httpUrl}/chatgpt/mcp?x=1`);
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, 'https://localhost/chatgpt/mcp?x=1');
  });

  test('port 80 serves ACME http-01 tokens from the webroot', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const challenge = path.join(dir, 'acme', '.well-known', 'acme-challenge');
    await mkdir(challenge, { recursive: true });
    await writeFile(path.join(challenge, 'token123'), 'token123.thumbprint');
    const res = await httpRequest(`${nginx.httpUrl}/.well-known/acme-challenge/token123`);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'token123.thumbprint');
  });

  test('request bodies over 1 MB are refused with 413 before reaching the connector', async () => {
    const res = await get('/chatgpt/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1_100_000),
    });
    assert.equal(res.status, 413);
  });

  test('nginx -t accepts the rendered configuration', async () => {
    const result = await nginx.configTest();
    assert.ok(result.ok, result.output);
    assert.match(result.output, /test is successful/);
  });
});

describe('headers the connector trusts are always set by nginx (checklist item 37)', () => {
  test('a forged X-Environment-Path, X-Forwarded-Host and X-Forwarded-For are overwritten or removed', async () => {
    const res = await get('/chatgpt/mcp', {
      method: 'POST',
      headers: {
        'x-environment-path': '/evil',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-for': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    assert.equal(res.echo?.headers['x-environment-path'], '/chatgpt');
    assert.equal(res.echo?.headers['x-forwarded-host'], undefined);
    assert.equal(res.echo?.headers.forwarded, undefined);
    assert.equal(res.echo?.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(res.echo?.headers['x-real-ip'], '127.0.0.1');
  });

  test('the connection to the connector is HTTP/1.1 keep-alive (no "Connection: close")', async () => {
    const res = await get('/chatgpt/health');
    assert.equal(res.echo?.headers.connection, undefined);
  });
});

describe('streams pass through unbuffered (checklist item 37)', () => {
  test('an SSE event arrives through nginx while the stream is still open', async () => {
    const stream = await httpStream(`${nginx.httpsUrl}/chatgpt/sse`, { headers: { accept: 'text/event-stream' } }, { ca: pki.ca });
    try {
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['x-accel-buffering'], 'no');
      const text = await stream.waitFor((t) => t.includes('\n\n'), 3000);
      assert.match(text, /^event: endpoint\ndata: \/chatgpt\/messages\?sessionId=echo/);
      assert.equal(stream.ended(), false);
    } finally {
      stream.close();
    }
  });
});

describe('logs', () => {
  test('the access log holds no Authorization header, token, code or query string', async () => {
    const secret = 'sk-secret-token-abc123';
    await get(`/chatgpt/authorize?code=code-xyz789&state=s1&access_token=${secret}`, { headers: { authorization: `Bearer ${secret}` } });
    await get('/chatgpt/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`c:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `code=code-xyz789&client_secret=${secret}`,
    });
    await new Promise((r) => setTimeout(r, 200));
    const log = await readFile(nginx.accessLog, 'utf8');
    assert.match(log, /"path":"\/chatgpt\/authorize"/);
    for (const needle of [secret, 'code-xyz789', 'state=s1', Buffer.from(`c:${secret}`).toString('base64')]) {
      assert.equal(log.includes(needle), false, `access log contains ${needle}`);
    }
  });
});

describe('rate limits', () => {
  test('bursts on /register from one address are answered 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < 20; i++) {
      const res = await get('/claude/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    assert.ok(
      statuses.slice(0, 5).every((s) => s === 200),
      statuses.join(','),
    );
    assert.ok(limited, `no 429 in ${statuses.join(',')}`);
    assert.equal(limited.headers['retry-after'], '60');
    assert.equal(JSON.parse(limited.body).error, 'rate_limited');
  });

  test('POSTs to /signin are limited like consent, and share its budget: /authorize is then limited too', async () => {
    const posts: number[] = [];
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=a&password=x' };
    const started = Date.now();
    for (let i = 0; i < 12; i++) posts.push((await get('/chatgpt/signin', form)).status);
    const elapsed = Date.now() - started;
    assert.deepEqual(posts.slice(0, 5), [200, 200, 200, 200, 200], posts.join(','));
    // 10 a minute with a burst of 5: once limited, the bucket frees one request every 6 s, so a slow
    // machine may see one 200 after the first 429 for each 6 s the loop took — never more.
    const first = posts.indexOf(429);
    assert.ok(first >= 5 && first <= 6, posts.join(','));
    const freed = posts.slice(first).filter((s) => s === 200).length;
    assert.ok(freed <= Math.ceil(elapsed / 6000), `${posts.join(',')} in ${elapsed} ms`);
    // The shared budget is spent: /authorize is refused (unless a request was freed in between, which
    // this POST to /signin takes first).
    await get('/chatgpt/signin', form);
    assert.equal((await get('/chatgpt/authorize', form)).status, 429);
  });

  test('POSTs to /authorize (sign-in) are limited while GETs of the page are not', async () => {
    const posts: number[] = [];
    for (let i = 0; i < 12; i++)
      posts.push(
        (
          await get('/chatgpt/authorize', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'password=x',
          })
        ).status,
      );
    assert.ok(posts.includes(429), posts.join(','));
    // Long enough for the general per-address zone (20 r/s) to refill, far too short for sign-in (10 r/min).
    await new Promise((r) => setTimeout(r, 2500));
    const page = await get('/chatgpt/authorize?client_id=x');
    assert.equal(page.status, 200);
  });
});
