/**
 * The real compose stack (demo profile) on a real Docker engine: build the image, bring up
 * sandbox + connector + nginx + certbot, wait for health, run the doctor against
 * https://localhost with the stack's own certificate trusted (it completes a search and a fetch
 * through nginx), scale the connector to three replicas behind nginx, then tear everything down
 * with its volumes. Slow (minutes on a cold cache): it runs once, with a generous timeout.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { httpRequest } from '../../src/doctor/http.ts';
import { compose, copyProject, ensureDockerEngine, rememberImage, waitForComposeLock } from './helpers/compose.ts';
import { runDoctorCli } from './helpers/doctor-cli.ts';
import { freePort } from './helpers/nginx.ts';
import { until } from './helpers/wait.ts';

// The scale test (compose-scale-stack.test.ts) may hold the lock when the runner starts both: wait for it.
const lock = process.env.SKIP_COMPOSE_TEST
  ? { ok: false as const, reason: 'SKIP_COMPOSE_TEST is set' }
  : await waitForComposeLock(45 * 60_000);
const engine = lock.ok ? ensureDockerEngine() : { ready: false as const, reason: lock.reason };
if (lock.ok && !engine.ready) lock.release();
const title = engine.ready ? 'docker compose --profile demo' : `docker compose --profile demo (skipped: ${engine.reason})`;
const API_KEY = 'demo-api-key-0123456789abcdef';

const doctor = runDoctorCli;

describe(title, { skip: !engine.ready, timeout: 35 * 60_000 }, () => {
  const project = `mdrtest${process.pid}`;
  let dir: string | undefined;
  let projectDir = '';
  let dropReplacedImage = (): void => undefined;

  after(async () => {
    if (dir) {
      await compose(projectDir, project, ['--profile', 'demo', 'down', '-v', '--remove-orphans', '--timeout', '10']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
      dropReplacedImage();
    }
    if (lock.ok) lock.release();
  });

  test('builds, becomes healthy, passes the doctor with a search and fetch through nginx, survives a missing connector, scales to 3 connectors, tears down', {
    timeout: 30 * 60_000,
  }, async (t) => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'compose-'));
    projectDir = path.join(dir, 'project');
    await copyProject(projectDir);
    const httpsPort = await freePort();
    const httpPort = await freePort();
    const env = (await readFile(path.join(projectDir, '.env.demo'), 'utf8'))
      .replace(/^HTTPS_PORT=.*$/m, `HTTPS_PORT=${httpsPort}`)
      .replace(/^HTTP_PORT=.*$/m, `HTTP_PORT=${httpPort}`)
      .replace(/^PUBLIC_BASE_URL=.*$/m, `PUBLIC_BASE_URL=https://localhost:${httpsPort}`);
    await writeFile(path.join(projectDir, '.env'), `${env}\nIMAGE_TAG=compose-test\nNGINX_WATCH_INTERVAL=3\n`);

    const started = Date.now();
    try {
      dropReplacedImage = rememberImage('mssql-deep-research:compose-test');
      await compose(projectDir, project, ['--profile', 'demo', 'build'], 1_200_000);
      t.diagnostic(`image built in ${Math.round((Date.now() - started) / 1000)} s`);
      await compose(projectDir, project, ['--profile', 'demo', 'up', '-d'], 900_000);
      const origin = `https://localhost:${httpsPort}`;
      // /health, not /healthz: the connector serves (healthz) before its database is proven, and
      // the demo's sandbox builds its sample database on first start.
      await until(
        async () =>
          (await httpRequest(`${origin}/chatgpt/health`, {}, { insecure: true, timeoutMs: 5000 })).status === 200 ? true : undefined,
        900_000,
        'https://localhost/chatgpt/health through nginx',
        2000,
      );
      t.diagnostic(`stack healthy ${Math.round((Date.now() - started) / 1000)} s after the build started`);

      const pem = await compose(projectDir, project, ['exec', '-T', 'certbot', 'cat', '/etc/letsencrypt/active/fullchain.pem']);
      const caFile = path.join(dir, 'stack-ca.pem');
      await writeFile(caFile, pem);

      const redirect = await httpRequest(`http://localhost:${httpPort}/chatgpt/mcp`);
      assert.equal(redirect.status, 301);
      assert.equal(redirect.headers.location, `${origin}/chatgpt/mcp`);

      const result = await doctor([`${origin}/chatgpt/mcp`, '--ca', caFile, `--api-key=${API_KEY}`]);
      t.diagnostic(result.output);
      assert.equal(result.code, 0, result.output);
      for (const line of [
        /^PASS tools\/list/m,
        /^PASS search/m,
        /^PASS fetch/m,
        /^PASS sse unbuffered/m,
        /^PASS registration/m,
        /^PASS issuer consistency/m,
      ])
        assert.match(result.output, line);

      const inspect = JSON.parse(
        await compose(projectDir, project, ['ps', '-q', 'connector'])
          .then((ids) => ids.trim().split('\n')[0] ?? '')
          .then(async (id) => {
            const { execFileSync } = await import('node:child_process');
            return execFileSync('docker', ['inspect', id], { encoding: 'utf8' });
          }),
      ) as { Config: { User: string }; HostConfig: { ReadonlyRootfs: boolean } }[];
      assert.equal(inspect[0]?.Config.User, 'node');
      assert.equal(inspect[0]?.HostConfig.ReadonlyRootfs, true);

      // nginx starts without any connector (it waits for its database) and recovers when one appears.
      await compose(projectDir, project, ['stop', 'connector']);
      await compose(projectDir, project, ['restart', 'nginx']);
      const down = await until(
        async () => {
          const res = await httpRequest(`${origin}/chatgpt/health`, {}, { ca: pem, timeoutMs: 5000 });
          return res.status === 502 ? res : undefined;
        },
        120_000,
        'nginx to start and answer 502 while no connector runs',
        2000,
      );
      assert.equal(JSON.parse(down.body).error, 'connector_unavailable');
      await compose(projectDir, project, ['start', 'connector']);
      await until(
        async () => ((await httpRequest(`${origin}/chatgpt/health`, {}, { ca: pem, timeoutMs: 5000 })).status === 200 ? true : undefined),
        300_000,
        'nginx to reach the restarted connector',
        2000,
      );

      await compose(projectDir, project, ['--profile', 'demo', 'up', '-d', '--no-recreate', '--scale', 'connector=3'], 300_000);
      const upstreams = await until(
        async () => {
          for (let i = 0; i < 9; i++) await httpRequest(`${origin}/chatgpt/health`, {}, { ca: pem });
          const logs = await compose(projectDir, project, ['logs', '--no-color', 'nginx']);
          const seen = new Set<string>();
          for (const m of logs.matchAll(/"path":"\/chatgpt\/health","status":200[^\n]*?"upstream":"([^"]+)"/g)) if (m[1]) seen.add(m[1]);
          return seen.size >= 3 ? seen : undefined;
        },
        180_000,
        'nginx to balance /chatgpt/health across 3 connector replicas',
        2000,
      );
      t.diagnostic(`nginx balanced across ${[...upstreams].join(', ')}`);
    } catch (error) {
      const logs = await compose(projectDir, project, ['--profile', 'demo', 'logs', '--no-color', '--tail', '60']).catch(
        (e: Error) => e.message,
      );
      throw new Error(`${(error as Error).message}\n--- compose logs ---\n${logs}`);
    }
  });
});
