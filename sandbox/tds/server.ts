import { createServer, type AddressInfo, type Server } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Backend } from '../backend.ts';
import { TdsConnection } from './connection.ts';
import type { ServerIdentity } from './login.ts';

export interface TdsServerOptions {
  backend: Backend;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Offered to clients that ask for encryption; without it the server answers ENCRYPT_NOT_SUP. */
  secureContext?: SecureContext;
  /** Server name in INFO/ERROR tokens and program name in LOGINACK. */
  identity?: Partial<ServerIdentity>;
  /** Where a line goes for every refused or dropped connection, saying why. */
  log?: (line: string) => void;
}

export interface TdsServer {
  readonly host: string;
  readonly port: number;
  /** Stops accepting, ends every connection and waits for their sessions to close. */
  close(): Promise<void>;
}

const DEFAULT_IDENTITY: ServerIdentity = { serverName: 'sandbox', progName: 'TDS Sandbox', version: [16, 0, 1000] };

/**
 * Listens for TDS clients and hands each socket to its own `TdsConnection`. A failure in one
 * connection closes that connection and nothing else.
 */
export async function startTdsServer(options: TdsServerOptions): Promise<TdsServer> {
  const identity: ServerIdentity = { ...DEFAULT_IDENTITY, ...options.identity };
  const connections = new Set<TdsConnection>();
  let nextSpid = 51;
  const server: Server = createServer((socket) => {
    try {
      const connection = new TdsConnection(socket, {
        backend: options.backend,
        secureContext: options.secureContext,
        identity,
        spid: nextSpid++ & 0xffff,
        log: options.log,
      });
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
    } catch (error) {
      options.log?.(
        `sandbox: connection from ${socket.remoteAddress ?? '?'} refused: ${error instanceof Error ? error.message : String(error)}`,
      );
      socket.destroy();
    }
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const open = [...connections];
      for (const connection of open) connection.close();
      await Promise.all(open.map((c) => c.closed));
      await stopped;
    },
  };
}
