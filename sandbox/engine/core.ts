import type { PGlite } from '@electric-sql/pglite';
import type { Login } from '../backend.ts';
import { DeclaredCache } from './declared-cache.ts';
import { EngineLock } from './lock.ts';
import { runChecked } from './pg.ts';

/** The engine's shared parts: one PGlite, the lock that serialises it, caches and counters. */
export class EngineCore {
  readonly pg: PGlite;
  readonly lock = new EngineLock();
  readonly declared: DeclaredCache;
  readonly database: string;
  #role: Login['role'] | undefined;
  #descriptor = 0n;

  constructor(pg: PGlite, database: string) {
    this.pg = pg;
    this.database = database;
    this.declared = new DeclaredCache(pg);
  }

  /** Puts PostgreSQL in the login's role (reader → tsql_reader, owner → the superuser). Outside transactions only. */
  async activate(login: Login): Promise<void> {
    if (this.#role === login.role) return;
    await runChecked(this.pg, login.role === 'reader' ? 'SET ROLE tsql_reader' : 'RESET ROLE');
    this.#role = login.role;
  }

  findDatabase(name: string): string | undefined {
    return name.toLowerCase() === this.database.toLowerCase() ? this.database : undefined;
  }

  nextDescriptor(): bigint {
    this.#descriptor += 1n;
    return this.#descriptor;
  }
}
