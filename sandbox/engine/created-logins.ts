/**
 * Logins created with `CREATE LOGIN … WITH PASSWORD` while the engine runs (tests of the
 * connector's privilege check create one login per case). Each is a PostgreSQL role
 * `tsql_u_<name>`; its permissions come from CREATE USER, ALTER ROLE … ADD MEMBER, GRANT, DENY and
 * ALTER AUTHORIZATION (security-statements.ts). They live in memory, not in the snapshot.
 */
import type { Login } from '../backend.ts';

const registries = new WeakMap<object, Map<string, { user: string; password: string }>>();
const listeners = new Set<(user: string, password: string) => void>();

/**
 * Tells `listener` of every login created from now on in this thread: the engine's worker thread
 * forwards them to the host, which authenticates connections without waiting for the engine.
 */
export function onLoginCreated(listener: (user: string, password: string) => void): void {
  listeners.add(listener);
}

/** The PostgreSQL role of a created login or database user. */
export function roleNameFor(user: string): string {
  return `tsql_u_${user.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

export function registerLogin(core: object, user: string, password: string): void {
  const registry = registries.get(core) ?? new Map<string, { user: string; password: string }>();
  registries.set(core, registry);
  registry.set(user.toLowerCase(), { user, password });
  for (const listener of listeners) listener(user, password);
}

/** A created login whose password matches, or null. */
export function authenticateCreated(core: object, user: string, password: string): Login | null {
  const found = registries.get(core)?.get(user.toLowerCase());
  if (!found || found.password !== password) return null;
  return createdLogin(found.user);
}

/** The Login of a created login: a reader running as its own role. */
export function createdLogin(user: string): Login {
  return { user, role: 'reader', pgRole: roleNameFor(user) };
}

/** The PostgreSQL role a login runs as: its own for created logins, else undefined. */
export function createdRoleOf(login: Login): string | undefined {
  return login.pgRole;
}
