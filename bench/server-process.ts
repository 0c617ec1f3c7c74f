import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { ChildReply, MemorySample } from './server-protocol.ts';

/** The connector running in a child process, as the benchmarks see it. */
export interface ServerProcess {
  /** Listening origin, e.g. `http://127.0.0.1:41234`. */
  url: string;
  pid: number;
  /** Memory of the server process after a forced full GC. */
  memory(): Promise<MemorySample>;
  /**
   * CPU time (user + system, ms) the server process has used so far. Differences over a round
   * give CPU per call, which a busy machine inflates far less than wall-clock rates.
   */
  cpuMs(): Promise<number>;
  /** Graceful shutdown; the child is killed if it has not exited within a few seconds. */
  close(): Promise<void>;
}

function nextReply<T extends ChildReply['type']>(child: ChildProcess, type: T): Promise<Extract<ChildReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildReply): void => {
      if (message.type === type) {
        cleanup();
        resolve(message as Extract<ChildReply, { type: T }>);
      } else if (message.type === 'failed') {
        cleanup();
        reject(new Error(`benchmark server failed to start: ${message.message}`));
      }
    };
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`benchmark server exited (code ${code}) before answering ${type}`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Forks `bench/server-child.ts` with `--expose-gc` and starts the real connector in it with
 * `env` (given to the real `loadConfig`). Its stdout (production JSON logs) goes to /dev/null,
 * its stderr to ours. With `profileDir`, V8 writes the server's CPU profile there when it exits
 * (open it in Chrome DevTools to see where a missed goal's time goes).
 */
export async function startServerProcess(env: Record<string, string>, options: { profileDir?: string } = {}): Promise<ServerProcess> {
  const profile = options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];
  const child = fork(new URL('./server-child.ts', import.meta.url), [], {
    execArgv: ['--expose-gc', ...profile],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const ready = nextReply(child, 'ready');
  child.send({ type: 'start', env });
  let url: string;
  try {
    ({ url } = await ready);
  } catch (error) {
    child.kill();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    async memory() {
      const answer = nextReply(child, 'memory');
      child.send({ type: 'memory' });
      const { type: _type, ...sample } = await answer;
      return sample;
    },
    async cpuMs() {
      const answer = nextReply(child, 'cpu');
      child.send({ type: 'cpu' });
      return (await answer).micros / 1000;
    },
    close() {
      closing ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
