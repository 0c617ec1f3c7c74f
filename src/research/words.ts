/**
 * Words for natural-language search: a query is cut into lower-case words, stop words dropped, each
 * reduced to a crude root so "deliveries", "delivery" and "delivered" meet at `deliver`. The same
 * root is used to match catalog names and as the `LIKE '%root%'` pattern in text columns.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be been before being below between both but by can could ' +
    'did do does doing down during each few for from further get give had has have having he her here hers him his how i ' +
    'if in into is it its itself just let like list look looking me more most much my no nor not now of off on once only ' +
    'or other our ours out over own please same she should show so some such tell than that the their theirs them then ' +
    'there these they this those through to too under until up very was we were what when where which while who whom ' +
    'whose why will with would you your yours find search anything something everything related regarding concerning ' +
    'database data table tables record records row rows entry entries information info details many ' +
    'common commonly frequent frequently often usually typical typically main number count total average ' +
    'percentage trend trends happen happened recent recently together along alongside plus'
  ).split(' '),
);

/** A name's lower-case letters and digits: `SatisfactionScore`, `satisfaction_score` and `[Satisfaction Score]` meet. */
export const compactName = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Whether a lower-case word carries no meaning for search (articles, question words, "find", "table", …). */
export const isStopWord = (word: string): boolean => STOP_WORDS.has(word);

const SUFFIXES = ['ies', 'ing', 'ed', 'es', 's', 'y'];

/** The root of one lower-case word: one common English suffix off, never shorter than 4 letters. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ss')) return word;
  for (const suffix of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The distinct content words of a query, in order, at most `max`. */
export function queryWords(text: string, max = 6): string[] {
  const out: string[] = [];
  for (const raw of text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || STOP_WORDS.has(raw)) continue;
    if (!out.includes(raw)) out.push(raw);
    if (out.length >= max) break;
  }
  return out;
}

/** The words of an identifier: `OrderLines` → order, lines; `created_at` → created, at; `[Insert Date]` → insert, date. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * A lower-case word in American spelling, so British and American forms meet (centre/center,
 * colour/color, catalogue/catalog, organise/organize, analyse/analyze). Applied to both sides of a
 * comparison: a rare false merge only joins two spellings nobody writes differently.
 */
export function usSpelling(word: string): string {
  if (word.length < 5 || /[^a-z]/.test(word)) return word;
  return word
    .replace(/([^aeiouy])re(s?)$/, '$1er$2')
    .replace(/^([a-z]{2,})our(s?)$/, '$1or$2')
    .replace(/([a-z]{2})is(e|es|ed|ing|ation|ations)$/, '$1iz$2')
    .replace(/yse(s|d)?$/, 'yze$1')
    .replace(/ogue(s)?$/, 'og$1');
}

/** Whether two words share a root (exact root match, or one root a prefix of the other of length ≥ 4), in either spelling. */
export function sameRoot(a: string, b: string): boolean {
  const ra = stem(usSpelling(a));
  const rb = stem(usSpelling(b));
  if (ra === rb) return true;
  const [short, long] = ra.length <= rb.length ? [ra, rb] : [rb, ra];
  return short.length >= 4 && long.startsWith(short);
}

/** Escapes a value for `LIKE … ESCAPE '!'`: the escape itself and `%`, `_`, `[` match literally. */
export function escapeLike(value: string): string {
  return value.replace(/[!%_[]/g, (c) => `!${c}`);
}
