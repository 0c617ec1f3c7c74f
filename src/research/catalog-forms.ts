import type { Catalog, CatalogTable } from '../db/types.ts';
import type { ResearchDeps } from './context.ts';
import { clip, tableDocument, tableTitle } from './documents.ts';
import { fitText } from './fit.ts';
import { resolveTable, qualifiedName } from './identifiers.ts';
import { tableId } from './ids.ts';
import { jsonBytes, type Meter } from './outcome.ts';
import type { FetchOutput, Outcome, ResearchContext, SearchOutput, SearchResultItem } from './types.ts';

export const recordUrl = (ctx: ResearchContext, id: string): string => `${ctx.publicBase}/records/${encodeURIComponent(id)}`;

/** The tables and views configuration lets tools see. */
export function visibleTables(deps: ResearchDeps, catalog: Catalog): CatalogTable[] {
  return catalog.tables.filter((t) => deps.guard.allowsTable(t.schema, t.name));
}

/** Drops results from the end until the output fits the byte cap (an empty list always does). */
export function fitSearch(output: SearchOutput, maxBytes: number): { output: SearchOutput; cut: boolean } {
  if (jsonBytes(output) <= maxBytes) return { output, cut: false };
  const results = [...output.results];
  while (results.length > 0 && jsonBytes({ results, truncated: true }) > maxBytes) results.pop();
  return { output: { results, truncated: true }, cut: true };
}

/** Finishes a search: byte cap, stats. */
export function searchOutcome(
  meter: Meter,
  deps: ResearchDeps,
  results: SearchResultItem[],
  rows: number,
  truncated: boolean,
): Outcome<SearchOutput> {
  const { output, cut } = fitSearch(truncated ? { results, truncated: true } : { results }, deps.limits.maxResultBytes);
  if (jsonBytes(output) > deps.limits.maxResultBytes)
    return meter.fail('RESULT_TOO_LARGE', 'Even an empty result does not fit the configured size limit.');
  return meter.ok(output, rows, truncated || cut);
}

/** Bytes of one `list tables` item at most (its description is clipped to fit). */
export const LIST_ITEM_BYTES = 150;

/** `list tables [in <schema>]`: one result per visible table and view, name, size and as much description as fits. */
export function listTables(
  deps: ResearchDeps,
  catalog: Catalog,
  schema: string | undefined,
  ctx: ResearchContext,
  meter: Meter,
  views = false,
): Outcome<SearchOutput> | undefined {
  const visible = visibleTables(deps, catalog);
  let tables = visible.filter((t) => !views || t.kind === 'view');
  if (schema !== undefined) {
    const wanted = schema.replace(/^\[|\]$/g, '').toLowerCase();
    tables = tables.filter((t) => t.schema.toLowerCase() === wanted);
    // No such schema: the caller reads the query as words ("list tables in human resources").
    if (tables.length === 0 && !visible.some((t) => t.schema.toLowerCase() === wanted)) return undefined;
  }
  // Lean (issue 8: ≤ 150 bytes a table): no text; the description is clipped so the item fits.
  const results = tables.map((t) => {
    const id = tableId(t.schema, t.name);
    const bare = { id, title: tableTitle({ ...t, description: undefined }), url: recordUrl(ctx, id) };
    const described = (room: number) => ({ ...bare, title: `${bare.title} — ${clip(t.description ?? '', room)}` });
    let room = LIST_ITEM_BYTES - jsonBytes(bare) - 5;
    while (room >= 12 && jsonBytes(described(room)) > LIST_ITEM_BYTES) room--;
    return t.description && room >= 12 ? described(room) : bare;
  });
  return searchOutcome(meter, deps, results, results.length, false);
}

/** Why `list tables in <schema>` listed nothing: the schemas there are. */
export function unknownSchema(deps: ResearchDeps, catalog: Catalog, schema: string | undefined, meter: Meter): Outcome<SearchOutput> {
  const schemas = [...new Set(visibleTables(deps, catalog).map((t) => t.schema))].join(', ');
  return meter.fail('NOT_FOUND', `No tables in schema "${schema ?? ''}". Schemas: ${schemas}. Try \`list tables\`.`);
}

/** Resolves a table reference the tools may read, or says why not. */
export function findTable(
  deps: ResearchDeps,
  catalog: Catalog,
  reference: string,
): { table: CatalogTable } | { code: 'NOT_FOUND' | 'INVALID_INPUT' | 'OBJECT_NOT_ALLOWED'; message: string } {
  const found = resolveTable(catalog, reference);
  if (!found.ok) {
    if (found.reason === 'ambiguous') {
      return {
        code: 'INVALID_INPUT',
        message: `"${reference}" exists in several schemas: ${found.candidates.map(qualifiedName).join(', ')}. Name the schema.`,
      };
    }
    return { code: 'NOT_FOUND', message: `No table or view named "${reference}". Run \`list tables\` to see what exists.` };
  }
  if (!deps.guard.allowsTable(found.table.schema, found.table.name)) {
    return { code: 'OBJECT_NOT_ALLOWED', message: `${qualifiedName(found.table)} is excluded by the server's configuration.` };
  }
  return { table: found.table };
}

/** The table document as a fetch output (describe and fetch(table:…) share it). */
export function tableFetch(
  deps: ResearchDeps,
  catalog: Catalog,
  table: CatalogTable,
  ctx: ResearchContext,
  meter: Meter,
): Outcome<FetchOutput> {
  const id = tableId(table.schema, table.name);
  const metadata = {
    kind: table.kind,
    schema: table.schema,
    name: table.name,
    rowCount: table.rowCount ?? null,
    primaryKey: table.primaryKey,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })),
  };
  const build = (text: string): FetchOutput => ({ id, title: tableTitle(table), text, url: recordUrl(ctx, id), metadata });
  const out = fitText(tableDocument(table, catalog), deps.limits.maxResultBytes, build, '\n… (cut to fit the size limit)');
  return out
    ? meter.ok(out, 1)
    : meter.fail('RESULT_TOO_LARGE', `The description of ${qualifiedName(table)} does not fit the configured size limit.`);
}

/** `describe <table>`: one search result carrying the table document as its text. */
export function describeTable(
  deps: ResearchDeps,
  catalog: Catalog,
  reference: string,
  ctx: ResearchContext,
  meter: Meter,
): Outcome<SearchOutput> | undefined {
  const found = findTable(deps, catalog, reference);
  if (!('table' in found)) return found.code === 'NOT_FOUND' ? undefined : meter.fail(found.code, found.message);
  const id = tableId(found.table.schema, found.table.name);
  const item = { id, title: tableTitle(found.table), url: recordUrl(ctx, id), text: tableDocument(found.table, catalog) };
  const fitted = fitText(
    item.text,
    deps.limits.maxResultBytes,
    (text) => ({ results: [{ ...item, text }] }),
    '\n… (cut; fetch the id for the rest)',
  );
  if (!fitted) return meter.fail('RESULT_TOO_LARGE', 'The table description does not fit the configured size limit.');
  return meter.ok(fitted, 1);
}
