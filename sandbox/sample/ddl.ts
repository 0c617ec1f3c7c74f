import type { TableDef, ViewDef } from './model.ts';
import { nstring, qualifiedName, quoteName } from './tsql.ts';

const names = (columns: readonly string[]): string => columns.map(quoteName).join(', ');

/** `CREATE SCHEMA` must be alone in its batch on SQL Server, so this is one whole batch. */
export function createSchemaSql(schema: string): string {
  return `CREATE SCHEMA ${quoteName(schema)};`;
}

/** `CREATE TABLE` with named, inline PRIMARY KEY and FOREIGN KEY constraints. */
export function createTableSql(table: TableDef): string {
  const lines = table.columns.map((c) => `  ${quoteName(c.name)} ${c.type} ${c.nullable === true ? 'NULL' : 'NOT NULL'}`);
  lines.push(`  CONSTRAINT ${quoteName(table.primaryKey.name)} PRIMARY KEY (${names(table.primaryKey.columns)})`);
  for (const fk of table.foreignKeys ?? []) {
    const target = qualifiedName(fk.references.schema, fk.references.table);
    lines.push(
      `  CONSTRAINT ${quoteName(fk.name)} FOREIGN KEY (${names(fk.columns)}) REFERENCES ${target} (${names(fk.references.columns)})`,
    );
  }
  return `CREATE TABLE ${qualifiedName(table.schema, table.name)} (\n${lines.join(',\n')}\n);`;
}

/** One `CREATE [UNIQUE] INDEX` statement per secondary index of the table (empty when none). */
export function createIndexSql(table: TableDef): string[] {
  return (table.indexes ?? []).map((index) => {
    const include = index.include !== undefined && index.include.length > 0 ? ` INCLUDE (${names(index.include)})` : '';
    const unique = index.unique === true ? 'UNIQUE ' : '';
    return `CREATE ${unique}INDEX ${quoteName(index.name)} ON ${qualifiedName(table.schema, table.name)} (${names(index.columns)})${include};`;
  });
}

/**
 * The sample's full-text catalog, the default for its full-text indexes. CREATE FULLTEXT CATALOG
 * and CREATE FULLTEXT INDEX may not run inside a user transaction, so each is a batch of its own.
 */
export function createFullTextCatalogSql(name: string): string {
  return `CREATE FULLTEXT CATALOG ${quoteName(name)} AS DEFAULT;`;
}

/**
 * `CREATE FULLTEXT INDEX` on the table's full-text columns (English, LCID 1033), keyed by its
 * single-column primary key, with automatic change tracking (SQL Server populates it in the
 * background; scripts/load-sqlserver.ts waits for that). Undefined when the table has none.
 */
export function createFullTextIndexSql(table: TableDef, catalog: string): string | undefined {
  if (table.fullText === undefined) return undefined;
  if (table.primaryKey.columns.length !== 1)
    throw new Error(`${table.schema}.${table.name}: a full-text KEY INDEX needs a single-column key`);
  const cols = table.fullText.columns.map((c) => `${quoteName(c)} LANGUAGE 1033`).join(', ');
  return `CREATE FULLTEXT INDEX ON ${qualifiedName(table.schema, table.name)} (${cols}) KEY INDEX ${quoteName(table.primaryKey.name)} ON ${quoteName(catalog)} WITH CHANGE_TRACKING = AUTO;`;
}

/** `CREATE VIEW` must also be alone in its batch. */
export function createViewSql(view: ViewDef): string {
  return `CREATE VIEW ${qualifiedName(view.schema, view.name)} AS\n${view.select};`;
}

function describe(level: { schema: string; kind: 'TABLE' | 'VIEW'; object: string; column?: string }, text: string): string {
  const column = level.column === undefined ? '' : `, @level2type = N'COLUMN', @level2name = ${nstring(level.column)}`;
  return (
    `EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = ${nstring(text)}, ` +
    `@level0type = N'SCHEMA', @level0name = ${nstring(level.schema)}, @level1type = N'${level.kind}', @level1name = ${nstring(level.object)}${column};`
  );
}

/**
 * One batch of `sys.sp_addextendedproperty` calls: the table's `MS_Description` and one per
 * described column — the comments SQL Server tools (and the connector's catalog) read.
 */
export function describeTableSql(table: TableDef): string {
  const statements = [describe({ schema: table.schema, kind: 'TABLE', object: table.name }, table.description)];
  for (const column of table.columns) {
    if (column.description === undefined) continue;
    statements.push(describe({ schema: table.schema, kind: 'TABLE', object: table.name, column: column.name }, column.description));
  }
  return statements.join('\n');
}

/** The view's `MS_Description`. */
export function describeViewSql(view: ViewDef): string {
  return describe({ schema: view.schema, kind: 'VIEW', object: view.name }, view.description);
}
