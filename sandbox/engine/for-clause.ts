import type { BatchEvent, ColumnMeta } from '../backend.ts';
import type { PgField } from './pg.ts';
import type { TranslateContext } from './translate/context.ts';

type ForClause = NonNullable<TranslateContext['forClause']>;

const JSON_COLUMN = 'JSON_F52E2B61-18A1-11d1-B105-00805F49916B';
const XML_COLUMN = 'XML_F52E2B61-18A1-11d1-B105-00805F49916B';

/** SQL Server sends a top-level FOR JSON / FOR XML document in rows of at most this many characters. */
const CHUNK_CHARS = 2033;

/**
 * FOR JSON / FOR XML on the main SELECT: the document goes out as SQL Server sends it — rows of at
 * most 2,033 characters in the one column whose name drivers recognise (and join); no rows when
 * the query found none.
 */
export async function* formatFor(
  clause: ForClause,
  columns: readonly ColumnMeta[],
  fields: readonly PgField[],
  rows: readonly (string | null)[][],
): AsyncGenerator<BatchEvent> {
  const text = forText(clause, columns, fields, rows);
  yield {
    kind: 'columns',
    columns: [{ name: clause.kind === 'json' ? JSON_COLUMN : XML_COLUMN, type: { name: 'nvarchar', length: 'max' }, nullable: true }],
  };
  for (let at = 0; text !== null && at < text.length; at += CHUNK_CHARS) yield { kind: 'row', values: [text.slice(at, at + CHUNK_CHARS)] };
}

/**
 * The FOR JSON / FOR XML document of a result, or null when it has no rows (SQL Server's value of
 * such a subquery). JSON omits NULLs and nests `a.b` aliases (PATH); XML supports PATH, RAW and
 * AUTO (as rows) with ROOT.
 */
export function forText(
  clause: ForClause,
  columns: readonly ColumnMeta[],
  fields: readonly PgField[],
  rows: readonly (string | null)[][],
): string | null {
  if (rows.length === 0) return null;
  const names = columns.map((c, i) => c.name || fields[i]?.name || `col${i}`);
  return clause.kind === 'json' ? toJson(clause, names, fields, rows) : toXml(clause, names, rows);
}

function jsonValue(raw: string, oid: number): string {
  if ([20, 21, 23, 26, 700, 701, 1700].includes(oid)) return raw;
  if (oid === 16) return raw === 't' ? 'true' : 'false';
  if (oid === 114 || oid === 3802) return raw;
  if (oid === 1114 || oid === 1184) return JSON.stringify(raw.replace(' ', 'T'));
  return JSON.stringify(raw);
}

function toJson(clause: ForClause, names: readonly string[], fields: readonly PgField[], rows: readonly (string | null)[][]): string {
  const objects = rows.map((row) => {
    const root: Record<string, unknown> = {};
    row.forEach((raw, i) => {
      if (raw === null && !clause.includeNullValues) return;
      const path = clause.mode === 'PATH' ? (names[i] ?? '').split('.') : [names[i] ?? ''];
      let node = root;
      for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
      node[path[path.length - 1] ?? ''] = { raw: raw === null ? 'null' : jsonValue(raw, fields[i]?.dataTypeID ?? 25) };
    });
    return serialize(root);
  });
  let body = clause.withoutArrayWrapper ? objects.join(',') : `[${objects.join(',')}]`;
  if (clause.root) body = `{${JSON.stringify(clause.root)}:${body}}`;
  return body;
}

function serialize(node: Record<string, unknown>): string {
  return `{${Object.entries(node)
    .map(
      ([k, v]) =>
        `${JSON.stringify(k)}:${v && typeof v === 'object' && 'raw' in v ? (v as { raw: string }).raw : serialize(v as Record<string, unknown>)}`,
    )
    .join(',')}}`;
}

function escapeXml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function toXml(clause: ForClause, names: readonly string[], rows: readonly (string | null)[][]): string {
  const element = clause.element ?? 'row';
  const body = rows
    .map((row) => {
      if (clause.mode === 'PATH') {
        const inner = row
          .map((v, i) => (v === null ? '' : names[i] ? `<${names[i]}>${escapeXml(v)}</${names[i]}>` : escapeXml(v)))
          .join('');
        return element === '' ? inner : `<${element}>${inner}</${element}>`;
      }
      const attrs = row.map((v, i) => (v === null ? '' : ` ${names[i]}="${escapeXml(v)}"`)).join('');
      return `<${element}${attrs}/>`;
    })
    .join('');
  return clause.root ? `<${clause.root}>${body}</${clause.root}>` : body;
}
