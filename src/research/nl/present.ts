import type { CatalogTable, ResultColumn } from '../../db/types.ts';
import { clip, valueText } from '../documents.ts';
import { qualifiedName } from '../identifiers.ts';
import { identifierWords } from '../words.ts';
import type { Ranked } from './rank-merge.ts';
import { matchesPatterns } from './terms.ts';

/**
 * Stage 5: what an agent reads before deciding to fetch. Title = the row's natural label
 * ("Support ticket 214: I was billed twice for one order"); text = a snippet around the matched
 * words, the row's key facts (date, customer, product, rating, amount, status) and the match
 * strength. `fetch` uses the same title (fetch-forms.ts), so a citation reads the same.
 */
const TITLE = /^(?:subject|title|name|headline|summary|reason|label|caption)$|(?:name|title|subject)$/i;
const DATE_TYPE = /^(?:date|datetime|datetime2|smalldatetime|datetimeoffset)\b/i;
const AMOUNT = /amount|total|price|cost|salary|value/i;
const RATING = /rating|stars|score/i;
const STATUS = /^(?:status|state|priority|category|channel|reason|method)$/i;

/** "SupportTickets" → "Support ticket". */
export function rowNoun(table: Pick<CatalogTable, 'name'>): string {
  const words = identifierWords(table.name);
  const last = words.at(-1) ?? table.name;
  const singular = /ies$/.test(last) ? `${last.slice(0, -3)}y` : /(?:ss|us)$/.test(last) ? last : last.replace(/s$/, '');
  const text = [...words.slice(0, -1), singular].join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const cell = (columns: readonly Pick<ResultColumn, 'name'>[], row: readonly unknown[], name: string): unknown =>
  row[columns.findIndex((c) => c.name === name)];
const dateText = (v: unknown): string =>
  typeof v === 'string' ? v.slice(0, 10) : v instanceof Date ? v.toISOString().slice(0, 10) : valueText(v);

/** The row's label: a title-like column, else its first date, else the first short text that is not a number. */
function label(table: CatalogTable, columns: readonly ResultColumn[], row: readonly unknown[]): string | undefined {
  const keys = new Set(table.primaryKey);
  const text = columns.filter(
    (c) => !keys.has(c.name) && typeof cell(columns, row, c.name) === 'string' && String(cell(columns, row, c.name)).trim() !== '',
  );
  const titled = text.find((c) => TITLE.test(c.name));
  if (titled)
    return clip(
      String(cell(columns, row, titled.name))
        .replace(/\s+/g, ' ')
        .trim(),
      120,
    );
  const date = columns.find((c) => DATE_TYPE.test(c.type) && cell(columns, row, c.name) != null);
  if (date) return `${date.name} ${dateText(cell(columns, row, date.name))}`;
  const short = text.find(
    (c) =>
      !DATE_TYPE.test(c.type) &&
      String(cell(columns, row, c.name)).length <= 120 &&
      !/^[-+\d.,: ]+$/.test(String(cell(columns, row, c.name))),
  );
  return short ? clip(String(cell(columns, row, short.name)).trim(), 120) : undefined;
}

/** `Support ticket 214: I was billed twice for one order` (the table's noun, its key, its label). */
export function rowTitle(table: CatalogTable, columns: readonly ResultColumn[], row: readonly unknown[]): string {
  const key = table.primaryKey.map((k) => valueText(cell(columns, row, k))).join(', ');
  const l = label(table, columns, row);
  const head = `${rowNoun(table)}${key ? ` ${key}` : ''}`;
  return l ? `${head}: ${l}` : `${head} (${qualifiedName(table)})`;
}

/** Up to `width` characters of `text` around the first match of any pattern. */
export function snippetAround(text: string, patterns: readonly string[], width = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  let at = 0;
  // Find the earliest word where a pattern starts to match: test growing prefixes word by word.
  const starts = [...flat.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m.index ?? 0);
  for (const s of starts) {
    if (
      matchesPatterns(
        flat.slice(s, s + 80),
        patterns.map((p) => p.replace(/^%/, '')),
      )
    ) {
      at = s;
      break;
    }
  }
  const start = Math.max(0, at - Math.floor(width / 4));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end).trim()}${end < flat.length ? '…' : ''}`;
}

/** Key facts of a row: dates, the rows it refers to, rating, amounts, status. */
export function keyFacts(table: CatalogTable, columns: readonly ResultColumn[], row: readonly unknown[]): string[] {
  const facts: string[] = [];
  const skip = new Set(table.primaryKey);
  for (const fk of table.foreignKeys) {
    if (fk.columns.length !== 1) continue;
    const v = cell(columns, row, fk.columns[0] ?? '');
    if (v == null) continue;
    facts.push(`${rowNoun({ name: fk.refTable }).toLowerCase()} ${valueText(v)}`);
    skip.add(fk.columns[0] ?? '');
  }
  for (const c of columns) {
    const v = cell(columns, row, c.name);
    if (skip.has(c.name) || v == null || v === '') continue;
    if (DATE_TYPE.test(c.type)) facts.push(`${c.name} ${dateText(v)}`);
    else if (RATING.test(c.name) || AMOUNT.test(c.name) || STATUS.test(c.name)) facts.push(`${c.name} ${clip(valueText(v), 40)}`);
  }
  return facts.slice(0, 8);
}

/** The search text of a ranked row: snippet · facts · match strength. Never a lone short field. */
export function rowText(r: Ranked): string {
  const c = r.candidate;
  const patterns = r.matched.flatMap((t) => t.patterns);
  const texts = c.table.textColumns
    .map((name) => ({ name, value: cell(c.columns, c.row, name) }))
    .filter((x): x is { name: string; value: string } => typeof x.value === 'string' && x.value.trim() !== '');
  const scored = texts.map((x) => ({ ...x, hits: r.matched.filter((t) => matchesPatterns(x.value, t.patterns)).length }));
  const best = scored.sort((a, b) => b.hits - a.hits || b.value.length - a.value.length)[0];
  const parts: string[] = [];
  if (best) parts.push(snippetAround(best.value, patterns));
  parts.push(...keyFacts(c.table.table, c.columns, c.row));
  const words = [...new Set(r.matched.map((t) => t.words.join(' ')))];
  const how =
    c.via === 'lookup' ? 'exact match' : c.via === 'related' ? 'related to the matched row' : `match ${Math.min(1, r.score).toFixed(2)}`;
  parts.push(words.length > 0 ? `${how}: ${words.slice(0, 6).join(', ')}` : how);
  if (parts.length < 3) parts.push(qualifiedName(c.table.table));
  return clip(parts.join(' · '), 600);
}
