import type { PGlite } from '@electric-sql/pglite';
import type { Login } from '../backend.ts';
import { createdRoleOf } from './created-logins.ts';
import { DeclaredCache } from './declared-cache.ts';
import { EngineLock } from './lock.ts';
import { runChecked } from './pg.ts';

/** The engine's shared parts: one PGlite, the lock that serialises it, caches and counters. */
export class EngineCore {
  readonly pg: PGlite;
  readonly lock = new EngineLock();
  readonly declared: DeclaredCache;
  readonly database: string;
  #role: string | undefined;
  #descriptor = 0n;

  constructor(pg: PGlite, database: string) {
    this.pg = pg;
    this.database = database;
    this.declared = new DeclaredCache(pg);
  }

  /** Puts PostgreSQL in the login's role (reader → tsql_reader, created → its own, owner → the superuser). Outside transactions only. */
  async activate(login: Login): Promise<void> {
    const role = createdRoleOf(login) ?? (login.role === 'reader' ? 'tsql_reader' : '');
    if (this.#role === role) return;
    await runChecked(this.pg, role === '' ? 'RESET ROLE' : `SET ROLE "${role}"`);
    this.#role = role;
  }

  findDatabase(name: string): string | undefined {
    return name.toLowerCase() === this.database.toLowerCase() ? this.database : undefined;
  }

  nextDescriptor(): bigint {
    this.#descriptor += 1n;
    return this.#descriptor;
  }
}
