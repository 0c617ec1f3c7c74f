/**
 * The guard decides on names as the query spells them; SQL Server resolves names under its own
 * collation, where some characters have no weight and width or case may not matter, so
 * `[h<char>r].Employees` can be `hr.Employees` to the server while the deny list saw another name.
 * This module builds the T-SQL that closes that gap on the server, in the same round trip as the
 * query and before it runs: every object the guard judged is resolved with `OBJECT_ID` (and
 * `DB_ID`), and the batch stops with a known error unless the catalog's canonical names
 * (`OBJECT_NAME`, `OBJECT_SCHEMA_NAME`, `DB_NAME`) are the names the guard judged — compared
 * case-insensitively and otherwise exactly (binary collation). So the guard's verdict always rests
 * on the names SQL Server itself resolves to. Names travel as parameters, never as SQL text.
 *
 * Valid on SQL Server 2019+: `OBJECT_ID`, `OBJECT_NAME(id, db)`, `OBJECT_SCHEMA_NAME(id, db)`,
 * `DB_ID`, `DB_NAME`, `THROW` and `COLLATE Latin1_General_BIN2`.
 */

/** Error numbers the check raises; the state is the 1-based index of the reference. */
export const RESOLUTION_ERRORS = { unresolved: 51701, different: 51702, resolves: 51703, synonym: 51704 } as const;

/** At most this many references are checked (THROW's state is a tinyint). */
export const MAX_REFERENCES = 255;

/**
 * What the server must find for one reference:
 * - `resolve`: the name must resolve to an object whose canonical names are the ones written
 *   (tables and views read as table sources);
 * - `if-resolves`: when it resolves, to canonical names equal to the ones written (function calls,
 *   names in OBJECT_ID and similar arguments; an unresolvable one fails or returns NULL by itself);
 * - `never`: it must not resolve to an object at all (a call the guard let through as a method of a
 *   column, `c.Location.STDistance(…)`, under an allow-list);
 * `sameDatabase` additionally requires the object to be in the current database (allow-lists name
 * this database's objects only); `noSynonym` refuses a synonym, whose target the lists never saw.
 */
export interface CheckedReference {
  /** Identifier values as written: `[db, schema, name]`, `[schema, name]` or `[name]`; '' for an omitted part. */
  parts: readonly string[];
  expect: 'resolve' | 'if-resolves' | 'never';
  sameDatabase: boolean;
  noSynonym: boolean;
  /** The schema the guard assumed when none was written (`dbo`). */
  defaultSchema: string;
}

/** The check to run first in the query's batch, with its parameters (all `nvarchar`). */
export interface ResolutionCheck {
  sql: string;
  params: { name: string; value: string | null }[];
}

const quote = (part: string): string => `[${part.replaceAll(']', ']]')}]`;
const BIN = 'COLLATE Latin1_General_BIN2';

/** `IF … THROW …;` statements resolving each reference; empty when there is nothing to check. */
export function resolutionCheck(refs: readonly CheckedReference[]): ResolutionCheck | undefined {
  if (refs.length === 0) return undefined;
  if (refs.length > MAX_REFERENCES) throw new RangeError('too many references');
  const lines: string[] = [];
  const params: ResolutionCheck['params'] = [];
  refs.forEach((ref, i) => {
    const n = i + 1;
    const p = `@guard_${n}`;
    const name = ref.parts[ref.parts.length - 1] ?? '';
    const schema = ref.parts.length >= 2 ? (ref.parts[ref.parts.length - 2] ?? '') : '';
    const database = ref.parts.length >= 3 ? (ref.parts[ref.parts.length - 3] ?? '') : '';
    params.push({ name: `guard_${n}`, value: ref.parts.map((part) => (part === '' ? '' : quote(part))).join('.') });
    params.push({ name: `guard_${n}_n`, value: name });
    params.push({ name: `guard_${n}_s`, value: schema === '' ? ref.defaultSchema : schema });
    params.push({ name: `guard_${n}_d`, value: database === '' ? null : database });
    const id = `OBJECT_ID(${p})`;
    const db = `ISNULL(DB_ID(${p}_d), DB_ID())`;
    const differs = (canonical: string, written: string): string => `ISNULL(LOWER(${canonical}) ${BIN}, N'') <> LOWER(${written}) ${BIN}`;
    const different = [
      differs(`OBJECT_NAME(${id}, ${db})`, `${p}_n`),
      differs(`OBJECT_SCHEMA_NAME(${id}, ${db})`, `${p}_s`),
      `(${p}_d IS NOT NULL AND ${differs(`DB_NAME(DB_ID(${p}_d))`, `${p}_d`)})`,
      ...(ref.sameDatabase ? [`${db} <> DB_ID()`] : []),
    ].join(' OR ');
    if (ref.expect === 'never') {
      lines.push(`IF ${id} IS NOT NULL THROW ${RESOLUTION_ERRORS.resolves}, N'GUARD_OBJECT_RESOLVES', ${n};`);
      return;
    }
    if (ref.expect === 'resolve') lines.push(`IF ${id} IS NULL THROW ${RESOLUTION_ERRORS.unresolved}, N'GUARD_OBJECT_UNRESOLVED', ${n};`);
    lines.push(`IF ${id} IS NOT NULL AND (${different}) THROW ${RESOLUTION_ERRORS.different}, N'GUARD_OBJECT_DIFFERENT', ${n};`);
    if (ref.noSynonym)
      lines.push(
        `IF EXISTS (SELECT 1 FROM sys.objects WHERE object_id = ${id} AND type = 'SN') THROW ${RESOLUTION_ERRORS.synonym}, N'GUARD_OBJECT_SYNONYM', ${n};`,
      );
  });
  return { sql: lines.join('\n'), params };
}
