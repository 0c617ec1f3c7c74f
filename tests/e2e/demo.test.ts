import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { authorizeUrl, REDIRECT, registerClient, signInAndConsent } from '../oauth/flow.ts';
import { formPost, pkcePair } from '../oauth/helpers.ts';
import { connectClient, search } from './mcp-client.ts';

const realFetch = (url: string, init?: RequestInit) => fetch(url, init);

/** Registers a client, signs in as `operator` through the real forms, consents, exchanges the code. */
async function operatorAccessToken(base: string, operator: { user: string; password: string }): Promise<string> {
  const client = await registerClient(realFetch, {}, base);
  const pkce = pkcePair();
  const url = authorizeUrl(
    {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
    },
    base,
  );
  const callback = await signInAndConsent(realFetch, url, { user: operator.user, password: operator.password });
  const code = callback.searchParams.get('code');
  assert.ok(code, `no code in ${callback.href}`);
  assert.equal(callback.searchParams.get('iss'), base);
  const response = await fetch(
    `${base}/token`,
    formPost({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier, client_id: client.client_id }),
  );
  const body = (await response.json()) as { access_token?: string };
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.ok(body.access_token);
  return body.access_token;
}

interface ReadyLine {
  ready: boolean;
  mcpUrl: string;
  sseUrl: string;
  healthUrl: string;
  apiKey: string;
  operator: { user: string; password: string };
  sandbox: { ready: boolean; host: string; port: number; database: string; logins: { reader: { user: string } } };
}

describe('npm run demo', { skip: process.env.MSSQL_TEST_HOST ? 'the demo always runs the sandbox' : false }, () => {
  it('prints one ready line on stdout, serves MCP with the printed key and to the printed operator through OAuth, and stops cleanly on SIGTERM', {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
    const child = spawn(process.execPath, ['scripts/demo.ts'], {
      env: { ...process.env, PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, MCP_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error(`demo exited before ready:\n${stderr}`)));
      });
      const ready = JSON.parse(first) as ReadyLine;
      assert.equal(ready.ready, true);
      assert.equal(ready.sandbox.ready, true);
      assert.ok(ready.sandbox.port > 0);
      assert.ok(ready.apiKey.length >= 16);
      assert.match(ready.mcpUrl, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      assert.match(ready.sseUrl, /\/sse$/);

      const health = await fetch(ready.healthUrl);
      assert.equal(health.status, 200);
      const client = await connectClient(new URL(ready.mcpUrl), ready.apiKey);
      const { isError, body } = await search(client, 'list tables');
      assert.equal(isError, false);
      assert.ok(body.results.length > 0);
      await client.close();
      assert.match(stderr, /Inspector/);
      assert.match(stderr, /curl/);

      // OAuth is on: the printed operator signs in through the real forms on the loopback origin.
      assert.equal(ready.operator.user, 'operator');
      assert.ok(ready.operator.password.length >= 16);
      const base = ready.mcpUrl.replace(/\/mcp$/, '');
      const discovery = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
      assert.equal(discovery.issuer, base);
      await assert.rejects(operatorAccessToken(base, { ...ready.operator, password: 'wrong' }), /sign-in should redirect back/);
      const oauthClient = await connectClient(new URL(ready.mcpUrl), await operatorAccessToken(base, ready.operator));
      assert.equal((await search(oauthClient, 'list tables')).isError, false);
      await oauthClient.close();
      assert.match(stderr, /Discovery/);
      assert.match(stderr, new RegExp(ready.operator.password));

      let extra = '';
      lines.on('line', (line) => (extra += line));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(extra, '', 'stdout carries the ready line only');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
