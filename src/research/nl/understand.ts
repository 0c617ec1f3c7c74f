import { compactName, isStopWord } from '../words.ts';
import { B, phrasePattern, stemOf, wordPatterns } from './terms.ts';
import { expand, type Thesaurus } from './thesaurus.ts';

/**
 * Stage 1 of natural-language search: what the query asks for. Pure: no catalog, no database.
 *
 * - intent: `tables` when the query asks where data lives ("which table records refunds"),
 *   otherwise `rows` (it describes content: "customers angry about being charged twice");
 * - terms: the user's content words (a word naming a table counts too) with weight 1, and
 *   thesaurus synonyms with a lower weight, each as LIKE patterns over normalised text;
 * - identifiers: numbers, codes (SKU, batch, tracking numbers), e-mail addresses and names
 *   (quoted, or capitalised words) for exact lookups.
 */
export type Intent = 'rows' | 'tables';

export interface Term {
  /** The words as the user or the thesaurus wrote them. */
  words: string[];
  /** Any of these matches (see terms.ts). */
  patterns: string[];
  /** 1 for the user's words, less for synonyms. */
  weight: number;
  source: 'query' | 'synonym';
  /** For a synonym: the user's word it stands for. */
  of?: string | undefined;
  /** The word (or the word it stands for) is about the subject: not a table name or a framing word. */
  core: boolean;
}

export interface Identifier {
  kind: 'number' | 'code' | 'email' | 'name';
  value: string;
  /** The word before it, lower case ("order" in "order 6351"): which table it probably keys. */
  before?: string | undefined;
}

export interface Understanding {
  intent: Intent;
  /** The user's content words, lower case, in order. */
  words: string[];
  terms: Term[];
  identifiers: Identifier[];
}

/** Characters of a query read; the rest of a very long query is ignored (it is still bounded work). */
export const MAX_QUERY_CHARS = 1_000;
export const MAX_QUERY_WORDS = 8;
/** Weight of a synonym relative to the user's own word. */
export const SYNONYM_WEIGHT = 0.5;
/** Weight of a user word that names a table ("customers", "orders"): it counts, but mostly says where to look. */
export const TABLE_WORD_WEIGHT = 0.6;
/**
 * Words that frame a research question rather than name its subject ("customers *complaining*
 * that…", "reviews *mentioning*…"): they count, at this weight.
 */
export const FRAMING_WEIGHT = 0.5;
const FRAMING = /^(?:complain|mention|say|said|ask|talk|writ|wrote|report|describ|discuss|express|claim|state|feel|felt|think|thought)/;
/** Synonym terms at most (each costs a LIKE per row). */
export const MAX_SYNONYMS = 8;
/**
 * LIKE patterns of one search at most: each is evaluated on every row of every table searched
 * without a full-text index, the search's main cost. The user's words keep theirs first.
 */
export const MAX_PATTERNS = 20;

const TABLE_WORDS = '(?:tables?|columns?|views?|schemas?|fields?|database|datasets?)';
const INTENT_TABLES = [
  new RegExp(`\\b(?:which|what|where)\\b[^?]*\\b${TABLE_WORDS}\\b`),
  /\bwhere\b[^?]*\b(?:stored?|kept|keep|recorded|record|live|lives|held|hold|tracked|track|saved|logged|located|found|find|look)\b/,
  // "…, where can I see how long it took": the researcher looking, not a customer ("where can they see").
  /\bwhere\s+(?:can|do|would|could|should|might)\s+(?:i|we)\s+(?:see|view|check|get|read|pull)\b/,
  /^\s*(?:what|which)\s+(?:(?:entity|object|place|part|dataset|list|register|file|system|area|one)\s+)?(?:holds?|stores?|keeps?|contains?|records?|tracks?|logs?)\b/,
  // Whether and how data is available: "do we store which carrier…", "does the database have
  // supplier scores", "is the customer's country recorded", "can I see when a ticket was closed",
  // "how can I tell which employee approved a refund", "what would I query to measure delays".
  /^\s*(?:do|does|did)\s+(?:we|you|they|the\s+(?:database|db|system|shop|company))\s+(?:store|keep|record|track|log|have|hold|save|capture|know)\b/,
  /^\s*(?:is|are|was|were)\b[^?]*\b(?:stored|kept|recorded|tracked|logged|held|saved|captured|known|available)(?:\s+(?:anywhere|somewhere|too|as\s+well))?\s*[?.!]*\s*$/,
  /^\s*(?:can|could|may)\s+(?:i|we|you)\s+(?:see|find|tell|know|check|look\s+up|work\s+out)\s+(?:when|whether|which|who|what|how|if)\b/,
  /^\s*how\s+(?:can|do|would|could|should)\s+(?:i|we|you)\s+(?:tell|see|find|get|know|work\s+out|figure\s+out|measure|compute|calculate|look\s+up|query|track)\b/,
  /^\s*what\s+(?:would|should|do|can|must)\s+(?:i|we|you)\s+(?:query|use|join|look\s+at|read|select\s+from)\b/,
  /\b(?:is there|do we have|do you have)\s+(?:a|an|any)\s+(?:table|column|view|field|list|register|log)s?\b/,
  new RegExp(
    `^\\s*${TABLE_WORDS}\\s+(?:for|with|about|that|holding|containing|of|on|in|to|related|relating|mentioning|describing|covering)\\b`,
  ),
  /\b(?:schema|data model|structure)\b/,
  // "where is the history of …", "where are wages": where something is, unless it names a number ("where is order 6351").
  /^\s*where\s+(?:is|are|do|does|can|would|should|will)\b(?![^?]*\d)/,
  // "what data do we have on suppliers", "is there any information about refunds", "data about staff".
  /\b(?:what|which)\s+(?:data|information|datasets?)\b(?![^?]*\d)/,
  /\b(?:is|are)\s+there\s+(?:any\s+)?(?:data|information)\b(?![^?]*\d)/,
  /^\s*(?:data|information)\s+(?:about|on|for)\b(?![^?]*\d)/,
  /\bhow\s+(?:is|are|do\s+we|does)\b[^?]*\b(?:stored|recorded|modell?ed|tracked|kept|represented|captured|structured)\b/,
  // How tables connect: "how are orders linked to customers", "relationship between refunds and
  // tickets", "what do I join to see…", "joining payments to orders", "foreign key from reviews".
  /^\s*how\b[^?]*\b(?:link|links|linked|relate|relates|related|connect|connects|connected|join|joins|joined|tied|mapped)\s+(?:to|with|back\s+to)\b/,
  /\brelationships?\s+(?:between|of|from)\b/,
  /\b(?:foreign|primary)\s+keys?\b|\bdata\s+types?\b|\bnullable\b|\bindex(?:es)?\s+(?:on|of|for)\b/,
  /^\s*(?:join|joins|joining)\b/,
  /\b(?:do|should|can|must|would)\s+(?:i|we|you)\s+join\b/,
  // Asked for tables or their columns: "list the fields of a ticket", "find the table with employee
  // pay", "give me the columns for a delivery" (not "the table lamp"; "the orders table": understand).
  /\b(?:the|which|what|its|their|all|any)\s+(?:[\p{L}\p{N}-]+\s+){0,2}(?:tables?|columns?|fields?|schemas?)(?=\s+(?:for|with|of|that|which|where|about|holding|containing|behind|used|i|we)\b)/u,
  // Asking to be shown where: "point me to the refund approvals", "need data on supplier
  // performance", "what's the source of truth for prices", "the system of record for customers".
  /^\s*(?:please\s+)?(?:point|direct|take)\s+(?:me|us)\s+to\b/,
  /^\s*(?:i\s*(?:'m|am|’m)?\s*|we\s*(?:'re|are)?\s*)?(?:need|want|would\s+like|looking\s+for|searching\s+for|find|get|pull|give\s+me|show\s+me|help\s+me\s+(?:find|locate)|locate)\s+(?:the\s+|some\s+|any\s+|all\s+)?(?:data|information|info|details|records|sources?)\s+(?:about|on|for|of|regarding|concerning)\b(?![^?]*\d)/,
  /\b(?:source\s+of\s+truth|system\s+of\s+record|master\s+data)\b/,
  // A quantity of something, answered by a query over its table: "how long do the scheduled jobs
  // take", "how many refunds were approved", "how often are parcels redelivered".
  /^\s*how\s+(?:long|many|much|often|frequently)\b(?![^?]*\d)/,
  // A measure by a dimension, answered by a query over tables, not by rows that say it: "number of
  // refunds per month", "average delivery time by carrier", "refund amounts broken down by reason".
  /^\s*(?:the\s+)?(?:average|avg|mean|median|total|sum|number|count|share|percentage|proportion|rate|ratio|distribution|trend|breakdown|evolution|growth|minimum|maximum)\b[^?]*?\b(?:by|per|over|across)\b/,
  /\b(?:broken\s+down|grouped|split|aggregated|summed|totall?ed|averaged)\s+(?:by|per)\b|\bper\s+(?:hour|day|week|month|quarter|year)\b|\bover\s+time\b/,
  // "list tables about money", "show me all columns with dates", "find views of sales".
  /^\s*(?:please\s+)?(?:list|show|give|find|get|display|name)\s+(?:me\s+|us\s+)?(?:(?:all|the|any|every)\s+)*(?:tables?|columns?|fields?|views?|schemas?)\b/,
  // A subject area named in a few words, not its content: "shipping and fulfilment data",
  // "customer service information" (not "customers asking us to remove their personal data").
  /^(?![^?]*\b(?:my|their|his|her|our|your|personal|private|about|remove|delete|erase|lost|missing)\b)\s*(?:[\p{L}-]+\s+(?:(?:and|&)\s+)?){1,3}(?:data|information|tables|datasets?)\s*[?.!]*\s*$/u,
];

/**
 * Verbs of a where-is question ("where are refunds *stored*", "which table *holds* …"): they say
 * the user looks for a table, not what is in it, and would match unrelated columns (Channel
 * "Store", a job "log"). Dropped from the words when the intent is `tables`.
 */
const WHERE_VERBS =
  /^(?:stored?|stores|storing|kept|keeps?|keeping|recorded|recording|logged|logging|held|holds?|holding|tracked|tracks|saved|saves?|located|lives?|living|contains?|containing|registered|maintained|persisted)$/;

/**
 * How a request opens ("help me find…", "could you please…", "I'm trying to…"): asks, says nothing
 * of the subject. Left out of the words ("help" would match HelpfulVotes and every ticket asking for help).
 */
const REQUEST =
  /^\s*(?:(?:please|kindly)\s+|(?:can|could|would)\s+(?:you|someone)\s+|help\s+(?:me|us)\s+(?:to\s+)?|i\s*(?:'d|’d|\s+would)\s+like\s+to\s+|(?:i|we)\s+(?:need|want)\s+to\s+|(?:i\s*(?:'m|’m|\s+am)|we\s*(?:'re|’re|\s+are))\s+trying\s+to\s+)+/i;

/** Words naming a kind of database object ("the orders *table*", "refund reason *column*"). */
const OBJECT_WORDS = /^(?:tables?|columns?|fields?|views?)$/;

/** Words that say a where-is question is about a column ("which table has a SatisfactionScore *column*"), dropped like its verbs. */
const COLUMN_WORDS = /^(?:columns?|fields?|attributes?)$/;

/**
 * The query with every word that is a multi-word name of the database written as one
 * ("SatisfactionScore", "approved_by_id", "loyaltytier") spelled out as its words, so it matches
 * like them, and those names (`named`: lower-case letters and digits). `names` maps a name's
 * lower-case letters and digits to its words.
 */
export function spellNames(text: string, names: ReadonlyMap<string, string>): { text: string; named: string[] } {
  const named: string[] = [];
  if (names.size === 0) return { text, named };
  const spelled = text.replace(/[\p{L}\p{N}_]+/gu, (w) => {
    const key = compactName(w);
    const words = names.get(key);
    if (words === undefined) return w;
    named.push(key);
    return words;
  });
  return { text: spelled, named };
}

/** Whether the query asks where data lives rather than describing the data. */
export function readIntent(lower: string): Intent {
  return INTENT_TABLES.some((re) => re.test(lower)) ? 'tables' : 'rows';
}

/** Words before a number that make it a key ("id 42", "no. 7", "number 6351"). */
const KEY_WORDS = /^(?:id|ids|no|nr|num|number|key|ref|reference|code|#)$/;

/**
 * The query with every number that keys no row blanked to `n`: "2-letter country codes", "top 10
 * products", "ISO 3166" describe data, while "order 6351" or "customer id 42" name a row (the word
 * before names a table, or says it is a key). The where-is patterns refuse a query naming a row.
 */
export function maskQuantities(lower: string, identifiers: readonly Identifier[], namesTable: (word: string) => boolean): string {
  const free = identifiers.filter((i) => i.kind === 'number' && !(i.before && (KEY_WORDS.test(i.before) || namesTable(i.before))));
  if (free.length === 0) return lower;
  const values = new Set(free.map((i) => i.value));
  return lower.replace(NUMBER, (n) => (values.has(n) ? 'n' : n));
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
// Not a number-word compound ("2-letter", "5-star", "24-hour"): that describes, it names nothing.
const CODE =
  /\b(?!\d{1,4}-[a-z]+\b(?![-_/]))(?=[A-Za-z0-9_/-]*[0-9])(?=[A-Za-z0-9_/-]*[A-Za-z])[A-Za-z0-9]+(?:[-_/][A-Za-z0-9]+)+\b|\b[A-Z]{2,}[0-9]{2,}[A-Z0-9]*\b/g;
const QUOTED = /["“”'‘’]([^"“”'‘’]{2,80})["“”'‘’]/gu;
const CAPITALISED = /\b\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+){1,3}\b/gu;
const NUMBER = /(?<![\p{L}\p{N}.-])\d{1,12}(?![\p{L}\p{N}]|[.,]\d)/gu;

/** Identifiers in the query text, each once, in a stable order: e-mails, codes, quoted names, names, numbers. */
export function findIdentifiers(text: string): Identifier[] {
  const out: Identifier[] = [];
  const add = (kind: Identifier['kind'], value: string, at: number): void => {
    if (out.some((i) => i.kind === kind && i.value.toLowerCase() === value.toLowerCase())) return;
    const before = /([\p{L}]+)\W*$/u.exec(text.slice(Math.max(0, at - 30), at))?.[1]?.toLowerCase();
    out.push({ kind, value, before });
  };
  let rest = text;
  const take = (re: RegExp, kind: Identifier['kind'], group = 0): void => {
    for (const m of rest.matchAll(re)) {
      const v = m[group]?.trim();
      if (v) add(kind, v, m.index ?? 0);
    }
    rest = rest.replace(re, (s) => ' '.repeat(s.length));
  };
  take(EMAIL, 'email');
  take(CODE, 'code');
  take(QUOTED, 'name', 1);
  for (const m of rest.matchAll(CAPITALISED)) {
    const words = m[0].split(/\s+/);
    // A capitalised first word of the query ("Orders of …", "Tickets Jane Doe") is grammar, not a
    // name — unless the query opens with just two capitalised words: a person ("Léa Wagner").
    const start = (m.index ?? 0) === rest.search(/\S/) && words.length > 2 ? 1 : 0;
    const name = words.slice(start).join(' ');
    if (name.split(' ').length >= 2 && !words.slice(start).every((w) => isStopWord(w.toLowerCase()))) add('name', name, m.index ?? 0);
  }
  for (const m of rest.matchAll(NUMBER)) add('number', m[0], m.index ?? 0);
  return out;
}

/** Keeps terms in order while their patterns fit `max` (a term never loses some of its patterns). */
function capPatterns(terms: readonly Term[], max: number): Term[] {
  const out: Term[] = [];
  let used = 0;
  for (const t of terms) {
    if (used + t.patterns.length > max) continue;
    out.push(t);
    used += t.patterns.length;
  }
  return out;
}

/** Lower-case words of a text, split on anything that is not a letter or digit. */
export function tokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Reads a natural-language query. Never throws; an empty `terms` means nothing searchable.
 * `namesTable` tells whether a word names a table of the database (its words weigh less).
 */
export function understand(
  query: string,
  thesaurus: Thesaurus,
  namesTable: (word: string) => boolean = () => false,
  namesColumn: (word: string) => boolean = () => false,
): Understanding {
  const text = query.slice(0, MAX_QUERY_CHARS);
  const lower = text.normalize('NFKC').toLowerCase();
  const identifiers = findIdentifiers(text);
  const asked = readIntent(maskQuantities(lower, identifiers, namesTable));
  let words: string[] = [];
  for (const w of tokens(text.replace(REQUEST, ' '))) {
    if (asked === 'tables' && (WHERE_VERBS.test(w) || COLUMN_WORDS.test(w))) continue;
    // "parcels … parcel": one word, counted once.
    if ((w.length < 2 && !/\d/.test(w)) || isStopWord(w) || words.some((x) => x === w || stemOf(x) === stemOf(w))) continue;
    words.push(w);
    if (words.length >= MAX_QUERY_WORDS) break;
  }
  // A query naming only tables ("orders, order lines and payments", "products with their
  // suppliers") asks for those tables, not for rows mentioning them; so does one saying "table",
  // "column" or "field" after a word naming a table or column ("refund reason column", "the orders
  // table"; not "kitchen table reviews").
  const all = tokens(text);
  const intent: Intent =
    asked === 'rows' &&
    ((identifiers.length === 0 && words.length > 0 && words.every((w) => namesTable(w))) ||
      all.some((w, i) => i > 0 && OBJECT_WORDS.test(w) && (namesTable(all[i - 1] ?? '') || namesColumn(all[i - 1] ?? ''))))
      ? 'tables'
      : asked;
  if (intent !== asked) words = words.filter((w) => !COLUMN_WORDS.test(w));
  const weightOf = (w: string): number => (namesTable(w) ? TABLE_WORD_WEIGHT : FRAMING.test(w) ? FRAMING_WEIGHT : 1);
  const terms: Term[] = words.map((w) => ({
    words: [w],
    patterns: wordPatterns(w),
    weight: weightOf(w),
    source: 'query',
    core: weightOf(w) === 1,
  }));
  // A code or e-mail is one token sequence in normalised text ("BF-0413" → "bf 0413").
  for (const id of identifiers) {
    const parts = tokens(id.value);
    if ((id.kind === 'code' || id.kind === 'email') && parts.length > 1)
      terms.push({ words: parts, patterns: [`%${B}${parts.join(B)}${B}%`], weight: 1, source: 'query', core: true });
  }
  // Synonyms of words about the subject first: a table name's synonyms mostly say where to look again.
  // A word of a name ("Solid Oak Desk", "Jane Doe") is a proper name, not vocabulary: never expanded.
  // A name opening the query may be title case ("Late Delivery"): its words keep their synonyms.
  const named = new Set(
    identifiers.filter((id) => id.kind === 'name' && !text.trimStart().startsWith(id.value)).flatMap((id) => tokens(id.value)),
  );
  for (const e of expand(thesaurus, words, MAX_SYNONYMS, 3, (i) => weightOf(words[i] ?? '') === 1)) {
    if (named.has(words[e.from] ?? '')) continue;
    terms.push({
      words: e.words,
      patterns: e.words.length === 1 ? wordPatterns(e.words[0] ?? '') : [phrasePattern(e.words)],
      weight: SYNONYM_WEIGHT * weightOf(words[e.from] ?? ''),
      source: 'synonym',
      of: words[e.from],
      core: weightOf(words[e.from] ?? '') === 1,
    });
  }
  return { intent, words, terms: capPatterns(terms, MAX_PATTERNS), identifiers };
}
