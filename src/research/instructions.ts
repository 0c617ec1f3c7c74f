import type { Catalog, CatalogTable } from '../db/types.ts';
import { formatCount } from './documents.ts';
import { qualifiedName } from './identifiers.ts';

const MAX_TABLES_LISTED = 30;

/**
 * The MCP server's `instructions`: what the database holds and how to phrase searches, so a model
 * (ChatGPT Deep Research first) uses the tools well from its first call. Kept short: main tables
 * by size, with their descriptions, then the search forms with examples taken from this catalog.
 */
export function buildInstructions(catalog: Catalog, tables: readonly CatalogTable[], maxResults: number): string {
  const schemas = [...new Set(tables.map((t) => t.schema))].sort();
  const main = [...tables].sort((a, b) => (b.rowCount ?? -1) - (a.rowCount ?? -1) || qualifiedName(a).localeCompare(qualifiedName(b)));
  const lines = main.slice(0, MAX_TABLES_LISTED).map((t) => {
    const size = t.kind === 'view' ? 'view' : t.rowCount === undefined ? 'table' : `${formatCount(t.rowCount)} rows`;
    return `- ${qualifiedName(t)} (${size})${t.description ? `: ${t.description}` : ''}`;
  });
  if (main.length > MAX_TABLES_LISTED) lines.push(`- … and ${main.length - MAX_TABLES_LISTED} more (use \`list tables\`).`);
  const example = main.find((t) => t.kind === 'table') ?? main[0];
  const name = example ? qualifiedName(example) : 'dbo.SomeTable';
  const column = example?.columns[0]?.name ?? 'Id';
  return [
    `Read-only access to the Microsoft SQL Server database "${catalog.database}" (schemas: ${schemas.join(', ') || 'none'}). Nothing can be changed through these tools.`,
    '',
    'Main tables:',
    ...lines,
    '',
    'How to use `search` (one query string):',
    '- `list tables` or `list tables in <schema>`: every table and view with row counts and descriptions.',
    `- \`describe ${name}\`: columns, types, keys, relationships and indexes of one table.`,
    `- \`sample ${name} limit 5\`: a few rows.`,
    `- A read-only T-SQL query, e.g. \`SELECT TOP (10) ${column} FROM ${name}\` (SELECT or WITH … SELECT only; at most ${maxResults} rows are returned).`,
    '- Anything else is a natural-language search: describe what you are looking for in plain words (e.g. `late delivery complaints`); matching tables and rows whose text contains the words come back.',
    '',
    'Use `fetch` with any id from the results: a table id returns its full description, a row id the whole row, a result id the whole result set. Cite the `url` of what you fetched.',
  ].join('\n');
}
