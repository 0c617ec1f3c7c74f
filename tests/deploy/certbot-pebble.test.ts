/**
 * The certbot scripts against a real ACME server (Debian's pebble) through the real nginx webroot:
 * placeholder first, then a real certificate, swapped in and picked up by nginx's reload watcher
 * without a restart; and a failure that names its cause.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRequest } from '../../src/doctor/http.ts';
import { startEchoUpstream } from './helpers/echo-upstream.ts';
import type { EchoUpstream } from './helpers/echo-upstream.ts';
import { freePort, startNginx } from './helpers/nginx.ts';
import type { RunningNginx } from './helpers/nginx.ts';
import { startPebble } from './helpers/pebble.ts';
import { until } from './helpers/wait.ts';
import type { RunningPebble } from './helpers/pebble.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const available = existsSync('/usr/bin/pebble') && existsSync('/usr/bin/certbot');

interface Run {
  code: number | null;
  output: string;
}

function runScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  timeoutMs = 120_000,
): { done: Promise<Run>; kill(): void } {
  const child = spawn('sh', [path.join(root, script), ...args], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<Run>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
  return { done, kill: () => child.kill('SIGTERM') };
}

describe(available
  ? 'certbot scripts with pebble and nginx'
  : 'certbot scripts with pebble and nginx (skipped: /usr/bin/pebble or /usr/bin/certbot missing)', { skip: !available }, () => {
  let dir: string;
  let upstream: EchoUpstream;
  let nginx: RunningNginx | undefined;
  const pebbles: RunningPebble[] = [];
  let httpPort: number;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'certbot-pebble-'));
    upstream = await startEchoUpstream();
    httpPort = await freePort();
  });

  after(async () => {
    await nginx?.stop();
    for (const p of pebbles) await p.stop();
    await upstream?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const certbotEnv = (pebble: RunningPebble, name: string, publicPort: number) => ({
    DOMAIN: 'localhost',
    LETSENCRYPT_EMAIL: 'ops@example.com',
    ACME_SERVER: pebble.directoryUrl,
    REQUESTS_CA_BUNDLE: pebble.listenerCaPath,
    CERTBOT_CONFIG_DIR: path.join(dir, name, 'letsencrypt'),
    CERTBOT_WORK_DIR: path.join(dir, name, 'work'),
    CERTBOT_LOGS_DIR: path.join(dir, name, 'logs'),
    CERT_ACTIVE_DIR: path.join(dir, 'active'),
    ACME_WEBROOT: path.join(dir, 'acme'),
    ACME_HTTP_PORT: String(publicPort),
    NGINX_LOCAL_URL: `http://127.0.0.1:${httpPort}`,
    CERTBOT_ONCE: '1',
  });

  test('first start: a placeholder lets nginx start, pebble issues through the webroot, the watcher reloads nginx onto it, and a renewal is served the same way', async () => {
    const pebble = await startPebble(dir, httpPort);
    pebbles.push(pebble);
    const certbot = runScript('certbot/entrypoint.sh', certbotEnv(pebble, 'first', httpPort));
    const active = path.join(dir, 'active');
    await until(async () => (existsSync(path.join(active, 'fullchain.pem')) ? true : undefined), 15_000, 'the placeholder certificate');

    nginx = await startNginx({
      dir: path.join(dir, 'nginx'),
      vars: { DOMAIN: 'localhost', ENVIRONMENT_PATH: '/chatgpt', HTTPS_PORT: '443' },
      upstream: upstream.address,
      certDir: active,
      webroot: path.join(dir, 'acme'),
      httpPort,
    });
    const placeholder = await httpRequest(`${nginx.httpsUrl}/chatgpt/health`, {}, { insecure: true });
    assert.match(String(placeholder.certificate?.issuer?.O), /placeholder/);

    const watcher = runScript('nginx/docker-entrypoint.d/40-reload-on-change.sh', {
      NGINX_WATCH_FOREGROUND: '1',
      NGINX_WATCH_INTERVAL: '1',
      NGINX_WATCH_CERT: path.join(active, 'fullchain.pem'),
      NGINX_WATCH_HOSTS: '',
      NGINX_ARGS: nginx.args.join(' '),
    });
    try {
      const result = await certbot.done;
      assert.equal(result.code, 0, result.output);
      assert.match(result.output, /deploy-hook: installed localhost/);
      const issuingRoot = await pebble.issuingRoot();
      const served = await until(
        async () => {
          const res = await httpRequest(`${nginx!.httpsUrl}/chatgpt/health`, {}, { ca: issuingRoot });
          return res.status === 200 ? res : undefined;
        },
        15_000,
        "nginx to serve the pebble certificate (trusted by pebble's root)",
      );
      assert.match(String(served.certificate?.issuer?.CN), /Pebble Intermediate/);
      assert.notEqual(served.certificate?.fingerprint256, placeholder.certificate?.fingerprint256);

      // The renewal pass the loop runs twice a day, forced: a new certificate, installed and reloaded.
      const renewal = await runScript(
        'certbot/entrypoint.sh',
        { ...certbotEnv(pebble, 'first', httpPort), CERTBOT_EXTRA_ARGS: '--force-renewal' },
        ['renew'],
      ).done;
      assert.equal(renewal.code, 0, renewal.output);
      assert.match(renewal.output, /deploy-hook: installed localhost/);
      const renewed = await until(
        async () => {
          const res = await httpRequest(`${nginx!.httpsUrl}/chatgpt/health`, {}, { ca: issuingRoot });
          return res.certificate?.fingerprint256 !== served.certificate?.fingerprint256 ? res : undefined;
        },
        15_000,
        'nginx to serve the renewed certificate',
      );
      assert.match(String(renewed.certificate?.issuer?.CN), /Pebble Intermediate/);
    } finally {
      watcher.kill();
      const w = await watcher.done;
      assert.match(w.output, /reloaded nginx/);
    }
  });

  test('a failed challenge names the likely cause: port 80 closed', async () => {
    const closedPort = await freePort();
    const pebble = await startPebble(path.join(dir, 'pebble-closed'), closedPort);
    pebbles.push(pebble);
    const result = await runScript('certbot/entrypoint.sh', {
      ...certbotEnv(pebble, 'closed', closedPort),
      CERT_ACTIVE_DIR: path.join(dir, 'active-closed'),
    }).done;
    assert.equal(result.code, 1, result.output);
    assert.match(result.output, /preflight: port 80 closed or unreachable/);
    assert.match(result.output, /FAILED to obtain a certificate for localhost: likely cause: port 80 closed/);
  });
});
