/**
 * The scale-out override (docker-compose.scale.yml) as docker-compose itself resolves it: the real
 * `docker compose config` / docker-compose 1.29 merges it over docker-compose.yml with an env
 * file, and the test reads the merged file, plus the redis command's own password guard run by
 * /bin/sh. The setup running for real is compose-scale-stack.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { composeCommand, REPO_ROOT } from './helpers/compose.ts';

const run = promisify(execFile);
const command = composeCommand();
const PASSWORD = 'a3f9c1d2e4b5a6978899aabbccddeeff';

interface Service {
  image?: string;
  ports?: unknown[];
  expose?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  command?: string[] | string;
  volumes?: string[];
  user?: string;
  healthcheck?: { test: string[] };
}

let dir = '';
let services: Record<string, Service> = {};

before(async () => {
  if (!command) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'compose-scale-'));
  for (const file of ['docker-compose.yml', 'docker-compose.scale.yml'])
    await writeFile(path.join(dir, file), await readFile(path.join(REPO_ROOT, file)));
  await writeFile(path.join(dir, '.env'), `${await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8')}\nREDIS_PASSWORD=${PASSWORD}\n`);
  const [bin, ...base] = command as [string, ...string[]];
  const { stdout } = await run(bin, [...base, '-f', 'docker-compose.yml', '-f', 'docker-compose.scale.yml', 'config'], { cwd: dir });
  services = (parse(stdout) as { services: Record<string, Service> }).services;
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`docker-compose.scale.yml merged by ${command ? command.join(' ') : 'compose'} config`, {
  skip: command ? false : 'neither `docker compose` nor docker-compose is installed',
}, () => {
  it('adds Redis reachable only on the compose network: no published port, a data volume, a healthcheck', () => {
    const redis = services.redis;
    assert.ok(redis, Object.keys(services).join(', '));
    assert.equal(redis.ports, undefined);
    assert.deepEqual(redis.expose, ['6379']);
    assert.ok(
      redis.volumes?.some((volume) => /^redis-data:\/data/.test(volume)),
      JSON.stringify(redis.volumes),
    );
    assert.match(redis.healthcheck?.test.join(' ') ?? '', /redis-cli ping/);
    assert.equal(redis.user, 'redis');
  });

  it('runs Redis with persistence on (AOF and snapshots), a required password and no eviction', () => {
    const line = ([] as string[]).concat(services.redis?.command ?? []).join(' ');
    assert.match(line, /--appendonly yes/);
    assert.match(line, /--save "900 1"/);
    assert.match(line, /requirepass/);
    assert.match(line, /--maxmemory-policy noeviction/);
    assert.doesNotMatch(line, new RegExp(PASSWORD), 'the password stays out of the command line');
    assert.equal(services.redis?.environment?.REDIS_PASSWORD, PASSWORD);
  });

  it('points every connector replica at that Redis and starts them once it is healthy, still unpublished behind nginx', () => {
    const connector = services.connector;
    assert.equal(connector?.environment?.STATE_STORE_URL, `redis://default:${PASSWORD}@redis:6379/0`);
    assert.deepEqual(connector?.depends_on?.redis, { condition: 'service_healthy' });
    assert.equal(connector?.ports, undefined);
    assert.ok((services.nginx?.ports ?? []).length >= 2);
  });

  it('refuses to start Redis without REDIS_PASSWORD (the command exits before redis-server)', async () => {
    const line = ([] as string[])
      .concat(services.redis?.command ?? [])
      .join(' ')
      .replaceAll('$$', '$');
    const outcome = await run('/bin/sh', ['-c', line], { env: { PATH: process.env.PATH ?? '', REDIS_PASSWORD: '' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /set REDIS_PASSWORD/);
  });
});
