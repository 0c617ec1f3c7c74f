import type { Catalog, CatalogColumn, CatalogTable } from '../../db/types.ts';
import { identifierWords, sameRoot } from '../words.ts';

/**
 * Stage 2: every table that can hold the answer — a base table (views repeat their tables' rows)
 * with text columns or a key — that the configuration lets tools see. Tables a query word names
 * come first, so when the time budget runs out the likeliest tables have been searched.
 */
export interface SearchTable {
  table: CatalogTable;
  /** Text columns searched for words, longest first. */
  textColumns: string[];
  /** Columns that hold the row's label (Subject, Title, Name…): a match there weighs more. */
  titleColumns: string[];
  /** Short text columns that can hold a code (SKU, tracking number, batch) or an e-mail address. */
  codeColumns: string[];
  /** Short title-like columns (Name, Subject…) that can hold a name. */
  nameColumns: string[];
  /** Given-name and family-name columns (FirstName, LastName), when the table splits a person's name: a full name is looked up across both. */
  personName: [string, string] | undefined;
  /** The single integer primary-key column, when there is one: numbers are looked up in it. */
  intKey: string | undefined;
  /** Columns read back for presentation (no binary, GUIDs or XML). */
  readColumns: string[];
  /** Query words that name this table (any word of its name). */
  namedBy: string[];
  /** Query words that name its head noun, the last word of its name ("tickets" for SupportTickets, not "order" for OrderLines). */
  headNamedBy: string[];
}

export const MAX_TEXT_COLUMNS = 8;
export const MAX_READ_COLUMNS = 16;
const SHORT_TEXT = 200;
const CODE_TEXT = 120;
/** Columns of a few known values (Status, Channel…): never hold an identifier. */
const STATUS_NAME =
  /^(?:status|state|channel|method|priority|category|type|country|countrycode|currency|carrier|city|location)$|type$|code$/i;
/** Shorter text columns hold codes and categories (Status, Channel): looked up exactly, not searched for words. */
export const MIN_WORD_COLUMN = 40;
/**
 * Columns of addresses, numbers, paths and logins (Email, Phone, Website, SourceFile, CreatedBy…):
 * their "words" are domains, path parts and account names ("mail" in every `…@mail.example`), so
 * they are looked up exactly as codes, never searched for words.
 */
const CONTACT_NAME =
  /(?:e-?mail|phone|mobile|fax|url|uri|website|path|file|filename|password|token|hash|guid|uuid|(?:created|updated|modified|changed|inserted|deleted)_?by)$/i;
const TITLE_NAME = /^(?:subject|title|name|headline|summary|reason|label|caption)$|(?:name|title|subject)$/i;
const GIVEN_NAME = /^(?:first|given|fore)_?name$/i;
const FAMILY_NAME = /^(?:(?:last|family|sur)_?name|surname)$/i;
const UNREADABLE = /binary|image|uniqueidentifier|xml|geography|geometry|hierarchyid|sql_variant|timestamp|rowversion/i;
const INT_TYPE = /^(?:int|bigint|smallint|tinyint)\b/i;

const length = (c: CatalogColumn): number => (c.maxLength === undefined || c.maxLength === -1 ? 1_000_000 : c.maxLength);

/** The searchable shape of one table, or undefined when nothing in it can be searched. */
export function searchTable(table: CatalogTable, words: readonly string[] = []): SearchTable | undefined {
  if (table.kind !== 'table') return undefined;
  const text = table.columns.filter((c) => c.isText && !UNREADABLE.test(c.type));
  const textColumns = text
    .filter((c) => length(c) >= MIN_WORD_COLUMN && !CONTACT_NAME.test(c.name))
    .sort((a, b) => length(b) - length(a))
    .slice(0, MAX_TEXT_COLUMNS)
    .map((c) => c.name);
  const pk = table.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0]) : undefined;
  const intKey = pk && INT_TYPE.test(pk.type) ? pk.name : undefined;
  if (textColumns.length === 0 && !intKey) return undefined;
  const readable = table.columns.filter((c) => !UNREADABLE.test(c.type));
  const keyFirst = [
    ...readable.filter((c) => table.primaryKey.includes(c.name)),
    ...readable.filter((c) => !table.primaryKey.includes(c.name)),
  ];
  const nameWords = identifierWords(table.name);
  const given = text.find((c) => GIVEN_NAME.test(c.name) && length(c) <= SHORT_TEXT);
  const family = text.find((c) => FAMILY_NAME.test(c.name) && length(c) <= SHORT_TEXT);
  return {
    table,
    textColumns,
    titleColumns: text.filter((c) => TITLE_NAME.test(c.name) && length(c) <= 400 && textColumns.includes(c.name)).map((c) => c.name),
    codeColumns: text
      .filter((c) => (length(c) <= CODE_TEXT || (CONTACT_NAME.test(c.name) && length(c) <= 400)) && !STATUS_NAME.test(c.name))
      .map((c) => c.name),
    nameColumns: text.filter((c) => length(c) <= SHORT_TEXT && TITLE_NAME.test(c.name)).map((c) => c.name),
    personName: given && family ? [given.name, family.name] : undefined,
    intKey,
    // Title columns are read back: the title score is computed on what was read.
    readColumns: [
      ...new Set([
        ...keyFirst.slice(0, MAX_READ_COLUMNS).map((c) => c.name),
        ...text.filter((c) => TITLE_NAME.test(c.name)).map((c) => c.name),
      ]),
    ],
    namedBy: words.filter((w) => nameWords.some((n) => sameRoot(w, n))),
    headNamedBy: words.filter((w) => sameRoot(w, nameWords.at(-1) ?? '')),
  };
}

/**
 * The tables to search, in order: named by a query word first, then by how much text they hold.
 * `allows` is the guard's table policy (DENY_SCHEMAS, DENY_TABLES, ALLOW_TABLES).
 */
export function pickTables(catalog: Catalog, words: readonly string[], allows: (t: CatalogTable) => boolean): SearchTable[] {
  const picked = catalog.tables
    .filter(allows)
    .map((t) => searchTable(t, words))
    .filter((s): s is SearchTable => s !== undefined);
  const textSize = (s: SearchTable): number =>
    s.textColumns.reduce((n, c) => n + Math.min(4_000, length(s.table.columns.find((x) => x.name === c) as CatalogColumn)), 0);
  return picked.sort(
    (a, b) => b.headNamedBy.length - a.headNamedBy.length || b.namedBy.length - a.namedBy.length || textSize(b) - textSize(a),
  );
}
