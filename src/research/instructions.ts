import type { Catalog, CatalogTable } from '../db/types.ts';
import { formatCount } from './documents.ts';
import { qualifiedName } from './identifiers.ts';

const MAX_TABLES_LISTED = 8;

/**
 * The MCP server's `instructions`: what the database holds and how to phrase searches, so a model
 * (ChatGPT Deep Research first) uses the tools well from its first call. Lean on purpose (issue 8:
 * initialize + tools/list ≤ 3 KB): the largest tables by name and size only — `list tables` and
 * `describe` give the rest — then the search forms with examples taken from this catalog.
 */
export function buildInstructions(catalog: Catalog, tables: readonly CatalogTable[], maxResults: number): string {
  const schemas = [...new Set(tables.map((t) => t.schema))].sort();
  const main = [...tables].sort((a, b) => (b.rowCount ?? -1) - (a.rowCount ?? -1) || qualifiedName(a).localeCompare(qualifiedName(b)));
  const listed = main.slice(0, MAX_TABLES_LISTED).map((t) => {
    const size = t.kind === 'view' ? 'view' : t.rowCount === undefined ? 'table' : `${formatCount(t.rowCount)} rows`;
    return `${qualifiedName(t)} (${size})`;
  });
  const more = main.length > MAX_TABLES_LISTED ? `, and ${main.length - MAX_TABLES_LISTED} more` : '';
  const example = main.find((t) => t.kind === 'table') ?? main[0];
  const name = example ? qualifiedName(example) : 'dbo.SomeTable';
  const column = example?.columns[0]?.name ?? 'Id';
  return [
    `Read-only Microsoft SQL Server database "${catalog.database}" (schemas: ${schemas.join(', ') || 'none'}). Largest tables: ${listed.join(', ') || 'none'}${more}.`,
    `search: plain words (natural-language search, ranked rows and tables), \`list tables\`, \`describe ${name}\`, \`sample ${name} limit 5\` or one SELECT such as \`SELECT TOP (10) ${column} FROM ${name}\` (at most ${maxResults} rows). \`fetch\` an id for the full document; cite its url.`,
  ].join('\n');
}
