import type { BatchEvent, ColumnMeta } from '../backend.ts';
import type { PgField } from './pg.ts';
import type { TranslateContext } from './translate/context.ts';

type ForClause = NonNullable<TranslateContext['forClause']>;

const JSON_COLUMN = 'JSON_F52E2B61-18A1-11d1-B105-00805F49916B';
const XML_COLUMN = 'XML_F52E2B61-18A1-11d1-B105-00805F49916B';

/**
 * FOR JSON / FOR XML: the rows become one text value in the column name SQL Server uses, which
 * drivers recognise. JSON omits NULLs and nests `a.b` aliases (PATH); XML supports PATH, RAW and
 * AUTO (as rows) with ROOT.
 */
export async function* formatFor(
  clause: ForClause,
  columns: readonly ColumnMeta[],
  fields: readonly PgField[],
  rows: readonly (string | null)[][],
): AsyncGenerator<BatchEvent> {
  const names = columns.map((c, i) => c.name || fields[i]?.name || `col${i}`);
  const text = clause.kind === 'json' ? toJson(clause, names, fields, rows) : toXml(clause, names, rows);
  yield {
    kind: 'columns',
    columns: [{ name: clause.kind === 'json' ? JSON_COLUMN : XML_COLUMN, type: { name: 'nvarchar', length: 'max' }, nullable: true }],
  };
  yield { kind: 'row', values: [text] };
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
      if (raw === null) return;
      const path = clause.mode === 'PATH' ? (names[i] ?? '').split('.') : [names[i] ?? ''];
      let node = root;
      for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
      node[path[path.length - 1] ?? ''] = { raw: jsonValue(raw, fields[i]?.dataTypeID ?? 25) };
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
