/**
 * The scale-out setup (docker-compose.yml + docker-compose.scale.yml, demo profile) on a real
 * Docker engine: Redis with its password and persistence, three connector replicas, nginx
 * round-robin. A whole OAuth flow and MCP `search` + `fetch` go through nginx (the real MCP SDK
 * client); nginx's log must show the replicas taking turns, so result ids and tokens made on one
 * replica are used on the others. Then one replica is stopped and the same user keeps working
 * (refresh, the old result id, a new search). Everything is removed with `down -v`.
 *
 * Redis: where the registry cannot be reached, `ensureRedisImage` builds a labelled stand-in under
 * the official tag (Debian's redis-server), never over a present image. The connector image is
 * the compose test's own tag (compose-test), so the two tests share its build.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { httpRequest } from '../../src/doctor/http.ts';
import { connectClient, fetchId, search } from '../e2e/mcp-client.ts';
import { authorizeUrl, REDIRECT, registerClient, signInAndConsent } from '../oauth/flow.ts';
import { formPost, pkcePair } from '../oauth/helpers.ts';
import { compose, copyProject, ensureDockerEngine, rememberImage, waitForComposeLock } from './helpers/compose.ts';
import { freePort } from './helpers/nginx.ts';
import { ensureRedisImage } from './helpers/redis-image.ts';
import { until } from './helpers/wait.ts';

const lock = process.env.SKIP_COMPOSE_TEST
  ? { ok: false as const, reason: 'SKIP_COMPOSE_TEST is set' }
  : await waitForComposeLock(45 * 60_000);
const engine = lock.ok ? ensureDockerEngine() : { ready: false as const, reason: lock.reason };
const redisImage = engine.ready ? ensureRedisImage() : engine;
if (lock.ok && !redisImage.ready) lock.release();
const NAME = 'docker compose -f docker-compose.scale.yml --profile demo, 3 connectors and Redis';
const title = redisImage.ready ? NAME : `${NAME} (skipped: ${redisImage.reason})`;
const FILES = ['-f', 'docker-compose.yml', '-f', 'docker-compose.scale.yml', '--profile', 'demo'];
const SQL = 'SELECT TOP 5 OrderID, Total FROM sales.Orders ORDER BY OrderID';
/** The compose test's connector image tag: a rebuild reuses its layers. */
const IMAGE = 'mssql-deep-research:compose-test';

/** The distinct upstream addresses nginx logged for successful requests to `route`. */
function upstreamsIn(logs: string, route: string): Set<string> {
  const seen = new Set<string>();
  for (const line of logs.split('\n')) {
    if (!line.includes(`"path":"${route}","status":200`)) continue;
    const upstream = /"upstream":"([^"]+)"/.exec(line)?.[1];
    if (upstream) seen.add(upstream);
  }
  return seen;
}

async function tokenRequest(base: string, fields: Record<string, string>): Promise<Record<string, string>> {
  const response = await fetch(`${base}/token`, formPost(fields));
  const body = (await response.json()) as Record<string, string>;
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

/** Fetches `id` with a fresh MCP client holding `token`; returns the document text. */
async function fetchText(base: string, token: string, id: string): Promise<string> {
  const client = await connectClient(new URL(`${base}/mcp`), token);
  try {
    const got = await fetchId(client, id);
    assert.equal(got.isError, false, JSON.stringify(got.body));
    return got.body.text;
  } finally {
    await client.close();
  }
}

describe(title, { skip: !redisImage.ready, timeout: 40 * 60_000 }, () => {
  const project = `mdrscale${process.pid}`;
  let dir: string | undefined;
  let projectDir = '';
  let dropReplacedImage = (): void => undefined;

  after(async () => {
    if (dir) {
      await compose(projectDir, project, [...FILES, 'down', '-v', '--remove-orphans', '--timeout', '10']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
    dropReplacedImage();
    if (lock.ok) lock.release();
  });

  test('OAuth, search and fetch through nginx round-robin across 3 replicas sharing Redis; one replica stopped, the user keeps working', {
    timeout: 35 * 60_000,
  }, async (t) => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'compose-scale-'));
    projectDir = path.join(dir, 'project');
    await copyProject(projectDir);
    const httpsPort = await freePort();
    const origin = `https://localhost:${httpsPort}`;
    const base = `${origin}/chatgpt`;
    const env = (await readFile(path.join(projectDir, '.env.demo'), 'utf8'))
      .replace(/^HTTPS_PORT=.*$/m, `HTTPS_PORT=${httpsPort}`)
      .replace(/^HTTP_PORT=.*$/m, `HTTP_PORT=${await freePort()}`)
      .replace(/^PUBLIC_BASE_URL=.*$/m, `PUBLIC_BASE_URL=${origin}`);
    const redisPassword = `scale-${process.pid}-${Date.now().toString(36)}-redis-password`;
    await writeFile(
      path.join(projectDir, '.env'),
      `${env}\nIMAGE_TAG=${IMAGE.split(':')[1]}\nNGINX_WATCH_INTERVAL=3\nREDIS_PASSWORD=${redisPassword}\n`,
    );
    const started = Date.now();
    const seconds = () => Math.round((Date.now() - started) / 1000);
    try {
      dropReplacedImage = rememberImage(IMAGE);
      await compose(projectDir, project, [...FILES, 'build'], 1_200_000);
      t.diagnostic(`images built in ${seconds()} s`);
      await compose(projectDir, project, [...FILES, 'up', '-d', '--scale', 'connector=3'], 900_000);
      const health = async (): Promise<number> =>
        (await httpRequest(`${base}/health`, {}, { insecure: true, timeoutMs: 5000 }).catch(() => ({ status: 0 }))).status;
      await until(async () => ((await health()) === 200 ? true : undefined), 900_000, `${base}/health through nginx`, 2000);
      t.diagnostic(`stack healthy ${seconds()} s after the build started`);

      // Redis as the override runs it: a password required, append-only persistence on.
      const redisCli = (command: string) => compose(projectDir, project, [...FILES, 'exec', '-T', 'redis', 'sh', '-c', command]);
      assert.match(await redisCli('redis-cli ping 2>&1 || true'), /NOAUTH/);
      assert.match(await redisCli('REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli config get appendonly'), /appendonly\s+yes/);

      // Trust the stack's own (placeholder, self-signed) certificate for this process's fetch.
      const pem = await compose(projectDir, project, [...FILES, 'exec', '-T', 'certbot', 'cat', '/etc/letsencrypt/active/fullchain.pem']);
      setDefaultCACertificates([...getCACertificates('default'), pem]);

      // Every replica answers /health before the flow starts (nginx reloads as they appear).
      await until(
        async () => {
          for (let i = 0; i < 6; i++) await fetch(`${base}/health`).then((r) => r.arrayBuffer());
          const logs = await compose(projectDir, project, [...FILES, 'logs', '--no-color', 'nginx']);
          return upstreamsIn(logs, '/chatgpt/health').size >= 3 ? true : undefined;
        },
        300_000,
        'nginx to balance /chatgpt/health across 3 replicas',
        2000,
      );

      // Register, sign in, consent and exchange the code: each request may land on another replica.
      const client = await registerClient(fetch, {}, base);
      const pkce = pkcePair();
      const location = await signInAndConsent(
        fetch,
        authorizeUrl(
          {
            response_type: 'code',
            client_id: client.client_id,
            redirect_uri: REDIRECT,
            code_challenge: pkce.challenge,
            code_challenge_method: 'S256',
            state: 'scale',
          },
          base,
        ),
        { user: 'demo', password: 'demo-password' },
      );
      const code = location.searchParams.get('code') ?? '';
      assert.ok(code, location.href);
      const tokens = await tokenRequest(base, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: pkce.verifier,
        client_id: client.client_id,
      });

      // One search, then its result id fetched six times, one MCP client per call (round-robin).
      const mcp = await connectClient(new URL(`${base}/mcp`), tokens.access_token ?? '');
      const found = await search(mcp, SQL).finally(() => mcp.close());
      assert.equal(found.isError, false, JSON.stringify(found.body));
      const resultId = found.body.results.find((r) => r.id.startsWith('result:'))?.id ?? '';
      assert.ok(resultId, JSON.stringify(found.body.results));
      const texts = new Set<string>();
      for (let i = 0; i < 6; i++) texts.add(await fetchText(base, tokens.access_token ?? '', resultId));
      assert.equal(texts.size, 1, 'every replica serves the same cached result');
      const logs = await compose(projectDir, project, [...FILES, 'logs', '--no-color', 'nginx']);
      const mcpUpstreams = upstreamsIn(logs, '/chatgpt/mcp');
      assert.equal(mcpUpstreams.size, 3, `MCP calls served by ${[...mcpUpstreams].join(', ')}`);
      t.diagnostic(`OAuth, search and fetch served by ${[...mcpUpstreams].join(', ')}`);

      // Stop one replica: nginx passes its share to the others; tokens and result ids live in Redis.
      const replicas = (await compose(projectDir, project, [...FILES, 'ps', '-q', 'connector'])).trim().split('\n');
      assert.equal(replicas.length, 3, replicas.join(','));
      execFileSync('docker', ['stop', '--time', '10', replicas[0] ?? ''], { stdio: 'ignore' });
      // nginx reloads with the two replicas left; its old workers then close their idle keep-alive
      // connections, which this client would otherwise reuse and lose ('fetch failed'): go on once
      // the reload is done and those connections are gone, as a client reconnecting would.
      await until(
        async () => {
          const nginxLogs = await compose(projectDir, project, [...FILES, 'logs', '--no-color', 'nginx']);
          const reload = nginxLogs.split('\n').findLast((line) => line.includes('reloaded nginx')) ?? '';
          return (/connector:([^;]*);/.exec(reload)?.[1]?.trim().split(/\s+/) ?? []).length === 2 ? true : undefined;
        },
        60_000,
        'nginx to reload without the stopped replica',
        500,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const refreshed = await tokenRequest(base, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        client_id: client.client_id,
      });
      for (let i = 0; i < 4; i++) assert.equal(await fetchText(base, refreshed.access_token ?? '', resultId), [...texts][0]);
      const again = await connectClient(new URL(`${base}/mcp`), refreshed.access_token ?? '');
      const second = await search(again, SQL).finally(() => again.close());
      assert.equal(second.isError, false, JSON.stringify(second.body));
      assert.equal((await fetch(`${base}/health`)).status, 200);
      t.diagnostic(`still serving with one replica stopped, ${seconds()} s in`);
    } catch (error) {
      const logs = await compose(projectDir, project, [...FILES, 'logs', '--no-color', '--tail', '40']).catch((e: Error) => e.message);
      throw new Error(`${(error as Error).message}\n--- compose logs ---\n${logs}`);
    }
  });
});
