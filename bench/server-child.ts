/**
 * Child-process entry for the benchmarks: runs the real connector (`startServer`) in its own
 * process, so the server's memory is measured alone (not the sandbox's PGlite heap or the load
 * generator's) and so the clients' CPU does not share the server's event loop. Started by
 * `bench/server-process.ts` with `--expose-gc`; it talks over the IPC channel only:
 *
 * - `{ type: 'start', env }` → `{ type: 'ready', url }` or `{ type: 'failed', message }`
 * - `{ type: 'memory' }` → full GC, then `{ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers }` (bytes)
 * - `{ type: 'cpu' }` → `{ type: 'cpu', micros }`: CPU time the server process has used so far
 * - `{ type: 'close' }` → graceful shutdown, then the process exits.
 *
 * The configuration arrives as an environment-like object, parsed by the real `loadConfig`.
 */
import { loadConfig } from '../src/config.ts';
import type { RunningServer } from '../src/index.ts';
import { startServer } from '../src/index.ts';
import { createLogger } from '../src/logger.ts';
import type { ChildReply, ParentMessage } from './server-protocol.ts';

let running: RunningServer | undefined;

function reply(message: ChildReply): void {
  process.send?.(message);
}

async function handle(message: ParentMessage): Promise<void> {
  switch (message.type) {
    case 'start': {
      try {
        const config = loadConfig(message.env);
        // Access and tool-call logs are written as in production; the parent sends stdout to /dev/null.
        running = await startServer(config, { logger: createLogger({ level: config.logLevel }), shutdownGraceMs: 2_000 });
        reply({ type: 'ready', url: running.url });
      } catch (error) {
        reply({ type: 'failed', message: (error as Error).message });
      }
      return;
    }
    case 'memory': {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const usage = process.memoryUsage();
      reply({
        type: 'memory',
        gc: gc !== undefined,
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
      });
      return;
    }
    case 'cpu': {
      const usage = process.cpuUsage();
      reply({ type: 'cpu', micros: usage.user + usage.system });
      return;
    }
    case 'close':
      await running?.close();
      process.disconnect?.();
      process.exit(0);
  }
}

process.on('message', (message: ParentMessage) => void handle(message));
// The parent went away without saying close: do not linger.
process.on('disconnect', () => void running?.close().finally(() => process.exit(0)));
