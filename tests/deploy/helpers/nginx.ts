import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { promisify } from 'node:util';
import { renderNginx } from './render-nginx.ts';
import type { RenderOptions, RenderedNginx } from './render-nginx.ts';

const run = promisify(execFile);

/** Debian's nginx binary (the tests run the real one). */
export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

/** A port nobody listens on right now (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, errorLog: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${await readFile(errorLog, 'utf8').catch(() => '')}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not listen on ${port} within ${timeoutMs} ms`);
}

export interface RunningNginx extends RenderedNginx {
  httpsUrl: string;
  httpUrl: string;
  httpsPort: number;
  httpPort: number;
  /** `nginx -t` output for this configuration. */
  configTest(): Promise<{ ok: boolean; output: string }>;
  /** Graceful reload (SIGHUP through `nginx -s reload`), as the reload watcher does. */
  reload(): Promise<void>;
  /** The `-p/-c/-e` arguments that address this instance, for scripts that call nginx themselves. */
  args: string[];
  stop(): Promise<void>;
}

/**
 * Renders the project's templates (see renderNginx) and runs the real nginx as a foreground child
 * with its own prefix, error log and free ports. `nginx -t` must pass before it starts.
 */
export async function startNginx(
  options: Omit<RenderOptions, 'httpPort' | 'httpsPort'> & { httpPort?: number; httpsPort?: number },
): Promise<RunningNginx> {
  const httpPort = options.httpPort ?? (await freePort());
  const httpsPort = options.httpsPort ?? (await freePort());
  const rendered = await renderNginx({ ...options, httpPort, httpsPort });
  const args = ['-p', options.dir, '-c', rendered.confPath, '-e', rendered.errorLog];
  const configTest = async () => {
    try {
      const { stdout, stderr } = await run(NGINX_BIN, [...args, '-t']);
      return { ok: true, output: stdout + stderr };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };
  const tested = await configTest();
  if (!tested.ok) throw new Error(`nginx -t failed:\n${tested.output}`);
  const child = spawn(NGINX_BIN, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await waitForPort(httpsPort, child, rendered.errorLog);
    await waitForPort(httpPort, child, rendered.errorLog);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ...rendered,
    httpPort,
    httpsPort,
    httpsUrl: `https://localhost:${httpsPort}`,
    httpUrl: `http://localhost:${httpPort}`,
    args,
    configTest,
    reload: async () => {
      await run(NGINX_BIN, [...args, '-s', 'reload']);
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
