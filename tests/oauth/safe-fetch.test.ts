/**
 * The guarded outbound fetch against a real HTTPS server on 127.0.0.2 (the one exempt address, as a
 * public host would be), with a resolver standing in for DNS. Every other private address, reached
 * directly, by redirect or by DNS, must be refused before any connection is made to it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSafeFetch, type SafeFetchOptions } from '../../src/oauth/core/safe-fetch.ts';
import { mapResolver, startClientHost, type ClientHost } from './client-host.ts';

let host: ClientHost;
before(async () => {
  host = await startClientHost('127.0.0.2');
  host.json('/doc.json', { hello: 'world' });
});
after(() => host.close());

const guarded = (extra: Partial<SafeFetchOptions> = {}, calls: string[] = []) =>
  createSafeFetch({
    ca: host.ca,
    exemptAddresses: ['127.0.0.2'],
    resolve: mapResolver(
      { 'client.test': '127.0.0.2', 'private.test': '10.0.0.7', 'mixed.test': ['127.0.0.2', '192.168.0.9'], localhost: '127.0.0.1' },
      calls,
    ),
    ...extra,
  });

const redirectTo = (path: string, location: string) =>
  host.routes.set(path, (_req, res) => res.writeHead(302, { Location: location }).end());

describe('guarded fetch for client documents', () => {
  it('fetches an https document from an admitted address, pinned to the address the resolver gave', async () => {
    const calls: string[] = [];
    const result = await guarded({}, calls)(host.url('/doc.json'));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.ok && JSON.parse(result.body), { hello: 'world' });
    assert.deepEqual(calls, ['client.test'], 'resolved exactly once: the socket used the checked address');
  });

  it('a rebinding resolver cannot move the connection: one resolution per hop, the checked answer is used', async () => {
    let answers = 0;
    const rebinding = async () => [{ address: answers++ === 0 ? '127.0.0.2' : '10.0.0.1', family: 4 as const }];
    const result = await guarded({ resolve: rebinding })(host.url('/doc.json'));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(answers, 1);
  });

  it('refuses http before any connection', async () => {
    const before = host.hits.length;
    const result = await guarded()(host.url('/doc.json').replace('https:', 'http:'));
    assert.deepEqual(result.ok ? 'ok' : result.code, 'not_https');
    assert.equal(host.hits.length, before);
  });

  for (const [label, target] of [
    ['127.0.0.1', 'https://127.0.0.1:PORT/doc.json'],
    ['[::1]', 'https://[::1]:PORT/doc.json'],
    ['169.254.169.254', 'https://169.254.169.254/latest/meta-data/'],
    ['10.0.0.0/8', 'https://10.1.2.3/doc.json'],
    ['localhost', 'https://localhost:PORT/doc.json'],
  ] as const) {
    it(`refuses ${label} when named directly and after a redirect`, async () => {
      const url = target.replace('PORT', String(host.port));
      const direct = await guarded()(url);
      assert.equal(direct.ok ? 'ok' : direct.code, 'forbidden_address');
      redirectTo(`/to-${label}`, url);
      const redirected = await guarded()(host.url(`/to-${label}`));
      assert.equal(redirected.ok ? 'ok' : redirected.code, 'forbidden_address', JSON.stringify(redirected));
    });
  }

  it('refuses a name that resolves to a private address, or to a private one among public ones', async () => {
    for (const name of ['private.test', 'mixed.test']) {
      const result = await guarded()(host.url('/doc.json', name));
      assert.equal(result.ok ? 'ok' : result.code, 'forbidden_address', name);
    }
  });

  it('follows at most 3 redirects', async () => {
    for (let hop = 0; hop < 4; hop += 1) redirectTo(`/hop${hop}`, hop === 3 ? '/doc.json' : `/hop${hop + 1}`);
    const four = await guarded()(host.url('/hop0'));
    assert.equal(four.ok ? 'ok' : four.code, 'too_many_redirects');
    const three = await guarded()(host.url('/hop1'));
    assert.equal(three.ok, true, JSON.stringify(three));
  });

  it('refuses a redirect to http', async () => {
    redirectTo('/to-http', `http://client.test:${host.port}/doc.json`);
    const result = await guarded()(host.url('/to-http'));
    assert.equal(result.ok ? 'ok' : result.code, 'not_https');
  });

  it('stops reading past 64 KiB, declared or streamed', async () => {
    host.json('/big-declared.json', { pad: 'x'.repeat(70_000) });
    host.routes.set('/big-chunked.json', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 0; i < 20; i += 1) res.write('x'.repeat(4096));
      res.end();
    });
    for (const path of ['/big-declared.json', '/big-chunked.json']) {
      const result = await guarded()(host.url(path));
      assert.equal(result.ok ? 'ok' : result.code, 'too_large', path);
    }
  });

  it('gives up on a slow server at the time limit', async () => {
    host.routes.set('/slow.json', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{');
      setTimeout(() => res.end('}'), 2_000).unref();
    });
    const started = Date.now();
    const result = await guarded({ timeoutMs: 400 })(host.url('/slow.json'));
    assert.equal(result.ok ? 'ok' : result.code, 'timeout');
    assert.ok(Date.now() - started < 1_500);
  });

  it('refuses a server whose certificate is not trusted', async () => {
    const result = await createSafeFetch({ exemptAddresses: ['127.0.0.2'], resolve: mapResolver({ 'client.test': '127.0.0.2' }) })(
      host.url('/doc.json'),
    );
    assert.equal(result.ok ? 'ok' : result.code, 'network');
  });

  it('reports an unknown name as a DNS failure and a non-200 answer as http_status', async () => {
    const unknown = await guarded()(host.url('/doc.json', 'nowhere.test'));
    assert.equal(unknown.ok ? 'ok' : unknown.code, 'dns_failed');
    const missing = await guarded()(host.url('/missing.json'));
    assert.equal(missing.ok ? 'ok' : missing.code, 'http_status');
  });
});
