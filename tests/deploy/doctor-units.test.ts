/** The doctor's pure parts: which URLs it derives and checks, how it reads challenges, how it reports. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoveryProbes, asMetadataProblem } from '../../src/doctor/checks/discovery.ts';
import { parseBearerChallenge } from '../../src/doctor/checks/endpoint.ts';
import { exitCodeFor, formatResult } from '../../src/doctor/report.ts';
import { parseTarget, wellKnownFor } from '../../src/doctor/target.ts';

test('parseTarget accepts the MCP URL, the SSE URL or the bare prefix and derives the same endpoints', () => {
  for (const input of [
    'https://db.example.com/chatgpt/mcp',
    'https://db.example.com/chatgpt/sse',
    'https://db.example.com/chatgpt',
    'https://db.example.com//chatgpt//mcp/',
  ]) {
    assert.deepEqual(
      parseTarget(input),
      {
        origin: 'https://db.example.com',
        prefix: '/chatgpt',
        mcpUrl: 'https://db.example.com/chatgpt/mcp',
        sseUrl: 'https://db.example.com/chatgpt/sse',
        issuer: 'https://db.example.com/chatgpt',
      },
      input,
    );
  }
  assert.equal(parseTarget('https://db.example.com:8443/mcp').issuer, 'https://db.example.com:8443');
  assert.throws(() => parseTarget('db.example.com/chatgpt'), /not a URL/);
  assert.throws(() => parseTarget('ftp://db.example.com/'), /not an http/);
});

test('wellKnownFor inserts the well-known segment before the path (RFC 8414 §3.1, RFC 9728 §3.1)', () => {
  assert.equal(
    wellKnownFor('https://h/chatgpt/mcp', 'oauth-protected-resource'),
    'https://h/.well-known/oauth-protected-resource/chatgpt/mcp',
  );
  assert.equal(wellKnownFor('https://h', 'oauth-authorization-server'), 'https://h/.well-known/oauth-authorization-server');
});

test('discoveryProbes lists every URL ChatGPT and the SDK try, without duplicates', () => {
  const urls = discoveryProbes(parseTarget('https://h/chatgpt/mcp')).map((p) => p.url.replace('https://h', ''));
  for (const expected of [
    '/.well-known/oauth-protected-resource/chatgpt/mcp',
    '/.well-known/oauth-protected-resource/chatgpt/sse',
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-authorization-server/chatgpt',
    '/.well-known/oauth-authorization-server/chatgpt/mcp',
    '/.well-known/oauth-authorization-server/chatgpt/sse',
    '/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration/chatgpt',
    '/chatgpt/.well-known/openid-configuration',
    '/.well-known/openid-configuration',
    '/chatgpt/sse/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server//chatgpt',
  ])
    assert.ok(urls.includes(expected), expected);
  assert.equal(new Set(urls).size, urls.length);
  const bare = discoveryProbes(parseTarget('https://h/mcp')).map((p) => p.url);
  assert.equal(new Set(bare).size, bare.length);
});

test('asMetadataProblem names the first thing wrong with a metadata document', () => {
  const t = parseTarget('https://h/chatgpt/mcp');
  const good = {
    issuer: 'https://h/chatgpt',
    authorization_endpoint: 'https://h/chatgpt/authorize',
    token_endpoint: 'https://h/chatgpt/token',
    code_challenge_methods_supported: ['S256'],
  };
  assert.equal(asMetadataProblem(good, t, false), undefined);
  assert.match(String(asMetadataProblem({ ...good, issuer: 'https://h/chatgpt/' }, t, false)), /trailing slash/);
  assert.match(String(asMetadataProblem({ ...good, token_endpoint: '/chatgpt/token' }, t, false)), /token_endpoint .* not an absolute/);
  assert.match(String(asMetadataProblem({ ...good, code_challenge_methods_supported: ['plain'] }, t, false)), /S256/);
  assert.match(String(asMetadataProblem(good, t, true)), /jwks_uri/);
});

test('parseBearerChallenge reads quoted and bare parameters (RFC 6750 §3)', () => {
  assert.deepEqual(parseBearerChallenge('Bearer resource_metadata="https://h/.well-known/x", scope="a b", error=invalid_token'), {
    resource_metadata: 'https://h/.well-known/x',
    scope: 'a b',
    error: 'invalid_token',
  });
  assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
  assert.equal(parseBearerChallenge(undefined), undefined);
});

test('a result prints as one line, the fix only when something is wrong; any FAIL makes the exit code 1', () => {
  assert.equal(formatResult({ status: 'PASS', name: 'tls', detail: 'ok', fix: 'unused' }), 'PASS tls — ok');
  assert.equal(
    formatResult({ status: 'FAIL', name: 'tls', detail: 'self-signed\ncertificate', fix: 'use certbot' }),
    'FAIL tls — self-signed certificate — use certbot',
  );
  assert.equal(
    exitCodeFor([
      { status: 'PASS', name: 'a', detail: '' },
      { status: 'WARN', name: 'b', detail: '' },
    ]),
    0,
  );
  assert.equal(
    exitCodeFor([
      { status: 'PASS', name: 'a', detail: '' },
      { status: 'FAIL', name: 'b', detail: '' },
    ]),
    1,
  );
});

test('the doctor stops after a fatal result (no connection) and says which checks it skipped', async () => {
  const { runChecks } = await import('../../src/doctor/report.ts');
  const { createDoctorContext } = await import('../../src/doctor/context.ts');
  const ctx = createDoctorContext({ target: parseTarget('https://h/chatgpt/mcp'), http: {} });
  const ran: string[] = [];
  const check = (name: string, fatal: boolean) => ({
    name,
    run: async () => {
      ran.push(name);
      return [{ status: 'FAIL' as const, name, detail: '', fatal }];
    },
  });
  const results = await runChecks(ctx, [check('a', false), check('b', true), check('c', false), check('d', false)]);
  assert.deepEqual(ran, ['a', 'b']);
  assert.deepEqual(results.at(-1), { status: 'SKIP', name: 'remaining checks', detail: 'c, d: the server cannot be reached' });
});
