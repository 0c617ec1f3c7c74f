import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { generate } from 'selfsigned';
import { createLogger } from '../../src/logger.ts';
import { connectRedis, type RedisConnection } from '../../src/state/redis.ts';
import { freePort } from '../deploy/helpers/nginx.ts';

/** Debian's redis-server (`.ci/run` installs it). */
export const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface TestRedisOptions {
  /** Keep data across `restart()` (RDB snapshot + AOF in a temp dir); default off: no persistence at all. */
  persistent?: boolean;
  /** An ACL user `connector` with this password (the default user gets the same password). */
  password?: string;
  /** Speak TLS only (`rediss://`), with a fresh self-signed certificate for 127.0.0.1. */
  tls?: boolean;
}

export interface TestRedis {
  port: number;
  /** `redis://[connector:<password>@]127.0.0.1:<port>` (`rediss://` with `tls`) */
  url: string;
  /** With `tls`: the server's certificate (PEM), the trust anchor a client needs. */
  caPem?: string;
  /** Stops the server (SIGTERM: with persistence, it saves first). */
  stop(): Promise<void>;
  /** Starts it again on the same port (and the same data directory). */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  close(): Promise<void>;
}

/**
 * A real redis-server for one test file, on a free 127.0.0.1 port, killed afterwards. Without
 * `persistent` it saves nothing (`--save '' --appendonly no`), so nothing outlives the test.
 */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'test-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no'];
  args.push(
    ...(options.persistent ? ['--save', '1 1', '--appendonly', 'yes', '--appendfsync', 'always'] : ['--save', '', '--appendonly', 'no']),
  );
  let caPem: string | undefined;
  if (options.tls) {
    const pems = await generate([{ name: 'commonName', value: 'test-redis' }], {
      keyType: 'ec',
      notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    caPem = pems.cert;
    await writeFile(join(dir, 'tls.crt'), pems.cert);
    await writeFile(join(dir, 'tls.key'), pems.private, { mode: 0o600 });
    args.splice(args.indexOf('--port'), 2, '--port', '0', '--tls-port', String(port));
    args.push(
      '--tls-cert-file',
      join(dir, 'tls.crt'),
      '--tls-key-file',
      join(dir, 'tls.key'),
      '--tls-ca-cert-file',
      join(dir, 'tls.crt'),
      '--tls-auth-clients',
      'no',
    );
  }
  if (options.password !== undefined) {
    // The default user keeps a password rather than being switched off: Redis 7.0 replays the AOF as
    // the default user, and a disabled one makes it drop every MULTI/EXEC (scripts' writes) on load.
    const grant = [`>${options.password}`, '~*', '&*', '+@all'];
    args.push('--user', 'default', 'on', ...grant, '--user', 'connector', 'on', ...grant);
  }
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const started = spawn(REDIS_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      const watch = (chunk: Buffer): void => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', watch);
      started.stderr?.on('data', watch);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${output}`));
      });
    });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  const credentials = options.password === undefined ? '' : `connector:${encodeURIComponent(options.password)}@`;
  return {
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://${credentials}127.0.0.1:${port}`,
    ...(caPem ? { caPem } : {}),
    stop,
    start,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A real redis-server and two connections to it, as two connector replicas hold them. */
export interface RedisReplicas {
  redis: TestRedis;
  a: RedisConnection;
  b: RedisConnection;
  /** Closes both connections, then the server. */
  close(): Promise<void>;
}

/** Starts a redis-server (see `startTestRedis`) and connects two replicas to it, both ready. */
export async function startRedisReplicas(options: TestRedisOptions = {}): Promise<RedisReplicas> {
  const redis = await startTestRedis(options);
  const logger = createLogger({ level: 'silent' });
  const a = connectRedis({ url: redis.url, logger });
  const b = connectRedis({ url: redis.url, logger });
  await Promise.all([a.ready(5_000), b.ready(5_000)]);
  return {
    redis,
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await redis.close();
    },
  };
}
