import { tokenAuthenticator, type FedAuthOptions } from './fedauth-verifier.ts';
import { startEngineHost } from './worker/engine-host.ts';
import { sandboxSecureContext } from './tds/certificate.ts';
import { startTdsServer } from './tds/server.ts';

export interface SandboxCredentials {
  user: string;
  password: string;
}

export interface SandboxOptions {
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The database LOGIN7 lands in; RetailDB by default. */
  database?: string;
  owner?: SandboxCredentials;
  reader?: SandboxCredentials;
  /** Where the engine keeps its database snapshot and the TLS certificate between runs. */
  cacheDir?: string;
  /** Accept Entra ID access tokens (LOGIN7 FEDAUTH) verified against these keys; unset = SQL logins only. */
  fedAuth?: FedAuthOptions;
  /** How long a cancelled statement may run on before the engine thread is replaced (250 ms). */
  cancelGraceMs?: number;
  /**
   * One line for every refused or dropped connection (with the reason: login failed, TLS
   * failure, protocol error and the packet type…) and every engine thread replacement; stderr by
   * default.
   */
  log?: (line: string) => void;
}

export interface Sandbox {
  host: string;
  port: number;
  database: string;
  logins: { owner: SandboxCredentials; reader: SandboxCredentials };
  /** Ends every connection, stops listening and shuts the engine down. */
  close(): Promise<void>;
}

/** Fixed default logins; the passwords meet SQL Server's complexity policy so the same values work on a real server. */
export const DEFAULT_OWNER: SandboxCredentials = { user: 'retail_owner', password: 'Owner#Sandbox2024' };
export const DEFAULT_READER: SandboxCredentials = { user: 'retail_reader', password: 'Reader#Sandbox2024' };

/**
 * Starts the T-SQL sandbox in-process: the engine (T-SQL on PGlite, loaded with the sample
 * database) on a worker thread (sandbox/worker/), behind a TDS 7.4 server that the real `mssql` driver connects to, with or without
 * TLS. It is test, benchmark and demo infrastructure, not SQL Server; see sandbox/README.md.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const database = options.database ?? 'RetailDB';
  const logins = { owner: options.owner ?? DEFAULT_OWNER, reader: options.reader ?? DEFAULT_READER };
  const cacheOption = options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir };
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const [backend, secureContext] = await Promise.all([
    startEngineHost({
      database,
      logins,
      log,
      ...cacheOption,
      ...(options.cancelGraceMs === undefined ? {} : { cancelGraceMs: options.cancelGraceMs }),
    }),
    sandboxSecureContext({ host, ...cacheOption }),
  ]);
  if (options.fedAuth) backend.authenticateToken = tokenAuthenticator(options.fedAuth);
  let server;
  try {
    server = await startTdsServer({ backend, host, port: options.port ?? 0, secureContext, log });
  } catch (error) {
    await backend.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    host,
    port: server.port,
    database,
    logins,
    close() {
      // The engine thread is ended, not waited for: a statement still running must not hold the
      // sandbox open, and its data directory is discarded anyway.
      closing ??= Promise.all([server.close(), backend.close()]).then(() => {});
      return closing;
    },
  };
}
