import type { Backend, Login, Session } from '../backend.ts';
import { authenticateCreated } from './created-logins.ts';
import { EngineCore } from './core.ts';
import { EngineSession } from './session.ts';
import { openSnapshot, prepareSnapshot as prepare, type PGlitePreload } from './snapshot.ts';

export interface EngineLogins {
  owner: { user: string; password: string };
  reader: { user: string; password: string };
}

export interface EngineOptions {
  /** The T-SQL database name; RetailDB by default. */
  database?: string;
  logins?: EngineLogins;
  /** Where the sample-database snapshot is cached; `<repo>/.cache/sandbox` by default. */
  cacheDir?: string;
  /**
   * PGlite's data directory on disk (loaded from the snapshot when empty, crash-recovered when
   * not); in memory when unset. The worker host uses one so committed work survives the thread.
   */
  dataDir?: string;
  /** PGlite's WebAssembly, compiled ahead (see preloadPGlite). */
  preloaded?: PGlitePreload;
}

/** Default logins, the same as sandbox/index.ts uses. */
export const DEFAULT_LOGINS: EngineLogins = {
  owner: { user: 'retail_owner', password: 'Owner#Sandbox2024' },
  reader: { user: 'retail_reader', password: 'Reader#Sandbox2024' },
};

/**
 * Starts the T-SQL engine: PGlite loaded from the cached sample-database snapshot (built on first
 * use), behind the `Backend` seam the TDS server consumes. The owner login may do anything; the
 * reader login may only read, enforced by PostgreSQL roles and grants.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Backend> {
  const database = options.database ?? 'RetailDB';
  const logins = options.logins ?? DEFAULT_LOGINS;
  const file = await prepare({ database, ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) });
  const pg = await openSnapshot(file, options.dataDir, options.preloaded);
  const core = new EngineCore(pg, database);
  let spid = 50;
  let closed = false;
  return {
    defaultDatabase: database,
    authenticate: (user: string, password: string) => matchLogin(logins, user, password) ?? authenticateCreated(pg, user, password),
    async openSession(login: Login, db: string | undefined): Promise<Session> {
      spid += 1;
      return new EngineSession(core, login, core.findDatabase(db ?? database) ?? database, spid);
    },
    hasDatabase(name: string): boolean {
      return core.findDatabase(name) !== undefined;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}

/** The login a user name (case-insensitive, as SQL Server's) and password belong to, or null. */
export function matchLogin(logins: EngineLogins, user: string, password: string): Login | null {
  if (user.toLowerCase() === logins.owner.user.toLowerCase() && password === logins.owner.password)
    return { user: logins.owner.user, role: 'owner' };
  if (user.toLowerCase() === logins.reader.user.toLowerCase() && password === logins.reader.password)
    return { user: logins.reader.user, role: 'reader' };
  return null;
}

/** Builds and caches the sample database snapshot (see snapshot.ts) so later starts take seconds. */
export async function prepareSnapshot(options: { cacheDir?: string; database?: string } = {}): Promise<void> {
  await prepare(options);
}
