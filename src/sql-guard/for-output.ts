import type { OuterQuery } from './query-parser.ts';
import { cappedAsOneSpec, type Edit } from './regenerate.ts';
import type { Refusal } from './refusal.ts';
import type { Token } from './tsql-lexer.ts';

/**
 * The result column of a top-level `FOR JSON` / `FOR XML` query once the guard rewrote it (see
 * `forOutputEdits`): one cell, by kind.
 */
export const FOR_OUTPUT_COLUMNS = { JSON: 'json', XML: 'xml' } as const;

/**
 * The GUID in the column names SQL Server gives a top-level FOR JSON / FOR XML result
 * (`JSON_F52E2B61-…`, `XML_F52E2B61-…`). Drivers (mssql, and the TDS clients it follows) join every
 * row of a one-column result so named into a single value before the caller sees a row, which no
 * row or byte cap can bound.
 */
const CHUNKED_COLUMN_GUID = 'F52E2B61-18A1-11D1-B105-00805F49916B';

/**
 * The edits that make a top-level `FOR JSON` / `FOR XML` query return its document as one scalar
 * cell instead of SQL Server's stream of 2,033-character rows: `[WITH …] SELECT TOP (1) (query
 * FOR …) AS [json] [OPTION (…)]`, or `SELECT TOP (1) CAST((query FOR XML …, TYPE) AS
 * nvarchar(max)) AS [xml]` (SET TEXTSIZE bounds nvarchar(max), not xml). The cell is an
 * nvarchar(max) value that the server cuts at TEXTSIZE and the connector at MAX_CELL_BYTES, like
 * any other large value, and its contents are the top-level document's. The WITH clause and OPTION
 * stay outside, where T-SQL requires them; ORDER BY is allowed in a FOR XML/JSON subquery;
 * `TOP (1)` keeps the row cap from changing the rewrite when it is checked again.
 *
 * SQL Server refuses FOR XML/JSON in a subquery over a set operation (error 1086); such a query is
 * fine when the row cap wraps it as a derived table (`cappedAsOneSpec`: its ORDER BY, if any,
 * repeated outside), and refused with SQL Server's own advice otherwise. `undefined` when the
 * query has no top-level FOR clause.
 */
export function forOutputEdits(toks: readonly Token[], outer: OuterQuery): { open: Edit; close: Edit } | string | undefined {
  const clause = outer.for;
  if (clause === undefined) return undefined;
  if (!cappedAsOneSpec(toks, outer))
    return `FOR ${clause.kind} over UNION, EXCEPT or INTERSECT cannot be returned as one bounded value when the first query leaves a column unnamed (or names one twice), when its ORDER BY names anything but output columns, or over a parenthesised query`;
  const column = `[${FOR_OUTPUT_COLUMNS[clause.kind]}]`;
  return clause.type
    ? {
        open: { start: outer.start, end: outer.start, text: 'SELECT TOP (1) CAST((' },
        close: { start: clause.end, end: clause.end, text: `) AS nvarchar(max)) AS ${column}` },
      }
    : {
        open: { start: outer.start, end: outer.start, text: 'SELECT TOP (1) (' },
        close: { start: clause.end, end: clause.end, text: `) AS ${column}` },
      };
}

/** The hint for a FOR JSON/XML query that `forOutputEdits` cannot rewrite. */
export const FOR_OUTPUT_HINT =
  'Name every column of the first query and order by output column names or positions, or put the set operation in a derived table and order outside it: SELECT * FROM (SELECT … UNION ALL SELECT …) AS u ORDER BY … FOR JSON PATH.';

/**
 * Refuses a name that would make a driver treat an ordinary result as chunked FOR JSON/XML output
 * (an alias, a CTE column or a string alias spelled `JSON_F52E2B61-…`): rows the row cap admits,
 * each up to TEXTSIZE, would be joined into one unbounded value.
 */
export function chunkedColumnName(toks: readonly Token[]): Refusal | undefined {
  const t = toks.find((tok) => tok.kind !== 'number' && tok.value.toUpperCase().includes(CHUNKED_COLUMN_GUID));
  if (t === undefined) return undefined;
  return {
    code: 'READ_ONLY_VIOLATION',
    reason: `The name ${JSON.stringify(t.value.slice(0, 60))} is the column name SQL Server reserves for FOR JSON/FOR XML output, which drivers join into one unbounded value.`,
    hint: 'Choose another column alias.',
    offset: t.start,
  };
}
