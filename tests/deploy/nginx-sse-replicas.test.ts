/**
 * The real nginx (project templates, round-robin, no ip_hash) in front of two real connector
 * replicas sharing a real Redis: a legacy SSE stream opened through nginx on one replica gets the
 * answers to POSTs that nginx spreads over both.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { httpRequest, httpStream } from '../../src/doctor/http.ts';
import type { TestDatabase } from '../helpers/database.ts';
import { startTestDatabase } from '../helpers/database.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import type { RunningNginx } from './helpers/nginx.ts';
import { freePort, startNginx } from './helpers/nginx.ts';
import { makeTestPki } from './helpers/tls.ts';

const keys: [string, string] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
let dir: string;
let database: TestDatabase;
let redis: TestRedis;
let replicas: TestServer[] = [];
let nginx: RunningNginx;
let origin: string;
let ca: string;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nginx-sse-replicas-'));
  const pki = await makeTestPki(path.join(dir, 'certs'));
  ca = pki.ca;
  const httpsPort = await freePort();
  origin = `https://localhost:${httpsPort}`;
  database = await startTestDatabase();
  redis = await startTestRedis();
  const env = { STATE_STORE_URL: redis.url, RATE_LIMIT_PER_MINUTE: '0', PUBLIC_BASE_URL: origin };
  replicas = [await startTestServer({ database, apiKeys: keys, env }), await startTestServer({ database, apiKeys: keys, env })];
  const [a, b] = replicas.map((replica) => new URL(replica.url).host) as [string, string];
  nginx = await startNginx({
    dir: path.join(dir, 'nginx'),
    vars: { DOMAIN: 'localhost', ENVIRONMENT_PATH: '/chatgpt', HTTPS_PORT: String(httpsPort) },
    upstream: a,
    certDir: pki.certDir,
    webroot: path.join(dir, 'acme'),
    httpsPort,
    // Both upstream blocks list both replicas, as Docker's DNS does for `connector` when scaled.
    transform: (_name, text) => text.replaceAll(`server ${a};`, `server ${a};\n    server ${b};`),
  });
});

after(async () => {
  await nginx?.stop();
  for (const replica of replicas) await replica.close();
  await redis?.close();
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const messagePosts = (replica: TestServer) =>
  replica.logs.filter((line) => line.msg === 'http_request' && line.method === 'POST' && String(line.path).endsWith('/messages')).length;

describe('legacy SSE through nginx round-robin over two replicas sharing Redis', () => {
  test('every POST /messages is accepted and answered on the one stream, whichever replica nginx picked', async () => {
    const stream = await httpStream(
      `${origin}/chatgpt/sse`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${keys[0]}` } },
      { ca },
    );
    try {
      assert.equal(stream.status, 200);
      const first = await stream.waitFor((text) => text.includes('\n\n'), 5_000);
      const endpoint = /event: endpoint\ndata: (\S+)\n\n/.exec(first)?.[1] ?? '';
      assert.match(endpoint, /^\/chatgpt\/messages\?sessionId=/);
      const post = (body: unknown) =>
        httpRequest(
          `${origin}${endpoint}`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${keys[0]}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
          { ca },
        );
      const init = { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'nginx-rr', version: '1' } };
      assert.equal((await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: init })).status, 202);
      await stream.waitFor((text) => text.includes('"id":1'), 5_000);
      assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
      for (let id = 2; id <= 7; id += 1) {
        const res = await post({ jsonrpc: '2.0', id, method: 'tools/list' });
        assert.equal(res.status, 202, res.body);
        const text = await stream.waitFor((t) => t.includes(`"id":${id}`), 5_000);
        assert.match(text, /"name":"search"/);
      }
      const spread = replicas.map(messagePosts);
      assert.ok(
        spread.every((count) => count > 0),
        `nginx sent POSTs to both replicas: ${spread.join(' / ')}`,
      );
    } finally {
      stream.close();
    }
  });
});
