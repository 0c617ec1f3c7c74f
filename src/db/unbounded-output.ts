/**
 * Result sets whose values the driver would read whole, whatever `SET TEXTSIZE` and
 * `MAX_CELL_BYTES` say, recognised from their column metadata before any row arrives.
 */
import type { DriverColumn } from './values.ts';

/**
 * A first result set that mssql would assemble from SQL Server's FOR JSON/XML chunks: one column
 * named `JSON_F52E2B61-…` or `XML_F52E2B61-…`. The driver joins every chunk into one string before
 * any row handler runs, so no cap applies; the guard rewrites top-level FOR JSON/XML into a scalar
 * cell, and whatever still arrives this way (a view column so named) is refused at its metadata.
 */
export function isChunkedOutput(cols: readonly DriverColumn[]): boolean {
  return cols.length === 1 && /^(JSON|XML)_F52E2B61-18A1-11d1-B105-00805F49916B$/i.test(cols[0]?.name ?? '');
}

export const CHUNKED_OUTPUT_MESSAGE =
  'The query returned unbounded FOR JSON/FOR XML output (a result column named JSON_F52E2B61-… or XML_F52E2B61-…); write FOR JSON/XML as the top-level clause of one query, or rename the column.';

/** How many xml columns a refusal names; the rest are counted. */
const NAMED = 5;

const bracketed = (name: string): string => `[${name.slice(0, 128).replace(/]/g, ']]')}]`;

/**
 * The message refusing a result set with `xml` columns, or undefined when it has none. SQL Server's
 * TEXTSIZE does not apply to `xml` (https://learn.microsoft.com/sql/t-sql/statements/set-textsize-transact-sql)
 * and tedious reads a value whole before the row reaches the connector, so an xml value of any size
 * would sit in memory; `nvarchar(max)` is cut by TEXTSIZE on the server. The message names each
 * column and the rewrite that makes it readable.
 */
export function xmlColumnsMessage(cols: readonly DriverColumn[]): string | undefined {
  const xml = cols.flatMap((c, i) => (c.type?.declaration === 'xml' ? [{ name: c.name, position: i + 1 }] : []));
  if (xml.length === 0) return undefined;
  const first = xml[0];
  if (!first) return undefined;
  const shown = xml
    .slice(0, NAMED)
    .map((c) => (c.name === '' ? `an unnamed column (position ${c.position})` : bracketed(c.name)))
    .join(', ');
  const more = xml.length > NAMED ? ` and ${xml.length - NAMED} more` : '';
  const column = first.name === '' ? '<expression>' : bracketed(first.name);
  const alias = first.name === '' ? 'a_name' : bracketed(first.name);
  return (
    `The result has ${xml.length === 1 ? 'an xml column' : 'xml columns'}: ${shown}${more}. SQL Server sends xml values whole ` +
    `(SET TEXTSIZE does not limit them), so the connector does not read them. Select each as nvarchar(max), which is cut at ` +
    `MAX_CELL_BYTES: CAST(${column} AS nvarchar(max)) AS ${alias}, or CONVERT(nvarchar(max), ${column}) AS ${alias}. ` +
    'With SELECT *, list the columns instead.'
  );
}
