import type { PGlite } from '@electric-sql/pglite';
import { runChecked } from './pg.ts';
import { declaredType, type DeclaredColumn } from './result-types.ts';

/**
 * Declared spelling and SQL Server type of table and view columns, by (relation OID, attnum), read
 * from the side catalog when a result first references a relation. Cleared after DDL.
 */
export class DeclaredCache {
  readonly #pg: PGlite;
  readonly #byRel = new Map<number, Map<number, DeclaredColumn>>();
  #names: Map<string, string> | undefined;

  constructor(pg: PGlite) {
    this.#pg = pg;
  }

  get(relid: number, attnum: number): DeclaredColumn | undefined {
    return this.#byRel.get(relid)?.get(attnum);
  }

  clear(): void {
    this.#byRel.clear();
    this.#names = undefined;
  }

  /** Declared spelling of a name (tables, columns, constraints), when known. */
  nameOf(lower: string): string | undefined {
    return this.#names?.get(lower);
  }

  /** Loads the side catalog's name spellings (used to word error messages). */
  async loadNames(): Promise<void> {
    if (this.#names) return;
    const [res] = await runChecked(this.#pg, 'SELECT lower_name, declared FROM tsql_meta.names');
    this.#names = new Map((res?.rows ?? []).map((r) => [String(r[0]), String(r[1])]));
  }

  async load(relids: readonly number[]): Promise<void> {
    const missing = [...new Set(relids.filter((r) => r !== 0 && !this.#byRel.has(r)))];
    if (missing.length === 0) return;
    const [res] = await runChecked(
      this.#pg,
      `SELECT a.attrelid::int, a.attnum::int, a.attnotnull,
      CASE WHEN tsql.is_user_schema(n.nspname) THEN COALESCE(m.declared_name, tsql.display(a.attname)) ELSE COALESCE(m.declared_name, a.attname) END,
      m.type_name, m.max_length, m.precision, m.scale
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN tsql_meta.columns m ON m.schema_name = n.nspname AND m.table_name = c.relname AND m.column_name = a.attname
      WHERE a.attnum > 0 AND a.attrelid IN (${missing.join(',')})`,
    );
    for (const r of missing) this.#byRel.set(r, new Map());
    for (const row of res?.rows ?? []) {
      const [rel, att, notNull, name, typeName, maxLen, prec, scale] = row;
      const num = (v: string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));
      const type = typeName ? declaredType(typeName, num(maxLen), num(prec), num(scale)) : undefined;
      this.#byRel.get(Number(rel))?.set(Number(att), { name: name ?? '', type, notNull: notNull === 't' });
    }
  }
}
