import type { GuardPolicy } from './types.ts';
import { foldName } from './word-rules.ts';

/** A table or view name resolved to `schema.name`, lower case. */
export interface QualifiedName {
  schema: string;
  name: string;
}

/** The configured deny- and allow-lists, checked once at creation and then applied per name. */
export interface ObjectPolicy {
  /** Whether tools may read `schema.name` at all: not denied, and allow-listed when a list is set. */
  allows(schema: string, name: string): boolean;
  /** Whether `schema.name` is denied by DENY_SCHEMAS or DENY_TABLES (the allow-list aside). */
  denies(schema: string, name: string): boolean;
  /** Whether an allow-list is configured (ALLOW_TABLES). */
  readonly allowList: boolean;
  /** Whether any list is configured: then an object the guard cannot name before the query runs is refused. */
  readonly restrictive: boolean;
}

const fold = (s: string): string => foldName(s.trim()).toLowerCase();

/**
 * Resolves the parts of a multi-part name (`name`, `schema.name`, `db.schema.name`, `db..name`)
 * the way SQL Server does for a caller whose default schema is `dbo`. The database part is dropped:
 * lists name schemas and tables, and server-level objects are refused before this point.
 */
export function resolveName(parts: readonly string[]): QualifiedName {
  const name = foldName(parts[parts.length - 1] ?? '').toLowerCase();
  const schema = parts.length >= 2 ? foldName(parts[parts.length - 2] ?? '').toLowerCase() : '';
  return { schema: schema === '' ? 'dbo' : schema, name };
}

function validEntry(entry: string): boolean {
  return /^[^.]+(\.[^.]+)?$/.test(entry.trim());
}

/**
 * Builds the policy; throws `TypeError` at startup (not per query) when an entry is malformed,
 * so a typo in `DENY_TABLES` cannot silently allow what it meant to deny.
 */
export function createObjectPolicy(policy: Pick<GuardPolicy, 'denySchemas' | 'denyTables' | 'allowTables'>): ObjectPolicy {
  for (const s of policy.denySchemas) {
    if (s.trim() === '' || s.includes('.')) throw new TypeError(`Invalid schema in denySchemas: ${JSON.stringify(s)}`);
  }
  for (const t of [...policy.denyTables, ...(policy.allowTables ?? [])]) {
    if (!validEntry(t)) throw new TypeError(`Invalid table name ${JSON.stringify(t)}: use schema.name or name`);
  }
  const denySchemas = new Set(policy.denySchemas.map(fold));
  // Change data capture (`cdc.fn_cdc_get_all_changes_*`, `cdc.*_CT`) returns other tables' rows:
  // once anything is denied, it is too (an allow-list admits it only by name).
  if (denySchemas.size > 0 || policy.denyTables.length > 0) denySchemas.add('cdc');
  const denyTables = new Set(policy.denyTables.map(fold));
  const allow =
    policy.allowTables === undefined ? undefined : new Set(policy.allowTables.map((t) => (t.includes('.') ? fold(t) : `dbo.${fold(t)}`)));
  const denies = (schema: string, name: string): boolean => {
    const s = fold(schema) || 'dbo';
    const n = fold(name);
    return denySchemas.has(s) || denyTables.has(n) || denyTables.has(`${s}.${n}`);
  };
  return {
    denies,
    allowList: allow !== undefined,
    restrictive: allow !== undefined || denySchemas.size > 0 || denyTables.size > 0,
    allows(schema: string, name: string): boolean {
      if (denies(schema, name)) return false;
      return allow === undefined || allow.has(`${fold(schema) || 'dbo'}.${fold(name)}`);
    },
  };
}
