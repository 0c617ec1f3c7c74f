import { stemmer } from 'stemmer';

/**
 * Query words as LIKE patterns over a row's text, lower-cased and padded with a space each side
 * (see retrieve-sql.ts). `B`, the class `[^a-z0-9]`, marks a word boundary: a word matches whole
 * (`%B late B%`) or as a stem at the start of a word (`%B arriv%`), never inside another word —
 * `late` does not match `latest`, `app` does not match `happy`. (A character class instead of
 * replacing punctuation first: SQL Server's TRANSLATE over every row costs more than the match.)
 */
export const B = '[^a-z0-9]';

/** Stems shorter than this are matched as whole words (with a few inflections), not as prefixes. */
export const MIN_PREFIX_STEM = 5;

const INFLECTIONS = ['[sd]'];
const E_INFLECTIONS = ['[sd]'];

/** The English (Porter) stem of a lower-case word; digits and very short words stay as they are. */
export function stemOf(word: string): string {
  if (word.length <= 3 || /\d/.test(word) || !/^[a-z]+$/.test(word)) return word;
  return stemmer(word);
}

/**
 * The LIKE patterns (any of them matches) for one word. A long stem is a word-start prefix
 * (`arriv` → arrival, arrived, arriving). Porter turns a final y into i (`delivery` → `deliveri`):
 * such stems match both spellings. A short stem is matched as the word itself, the stem, or the stem with a
 * regular inflection, whole.
 */
export function wordPatterns(word: string): string[] {
  const stem = stemOf(word);
  if (/\d/.test(word) || !/^[a-z]+$/.test(word)) return [`%${B}${word}${B}%`];
  if (stem.endsWith('i') && stem !== word) {
    const base = stem.slice(0, -1);
    if (base.length >= MIN_PREFIX_STEM + 1) return [`%${B}${base}%`];
    return [`%${B}${base}y%`, `%${B}${base}i%`];
  }
  if (stem.length >= MIN_PREFIX_STEM) return [`%${B}${stem}%`];
  const endings = stem.endsWith('e') ? E_INFLECTIONS : INFLECTIONS;
  // The stem itself too ("calls" finds "call"); the word only when no inflection of the stem covers it.
  const forms = [stem, ...endings.map((s) => `${stem}${s}`)];
  const covered = word === stem || (word.length === stem.length + 1 && /[sd]$/.test(word) && word.startsWith(stem));
  return [...new Set(covered ? forms : [word, ...forms])].map((f) => `%${B}${f}${B}%`);
}

/**
 * One pattern for a phrase of several words, in order, any text between them: each word as its
 * stem prefix when long, else as the whole word (`charged twice` → `% charg% twice%`).
 */
export function phrasePattern(words: readonly string[]): string {
  const parts = words.map((w) => {
    const stem = stemOf(w).replace(/i$/, '');
    return /\d/.test(w) || stem.length < MIN_PREFIX_STEM ? `${B}${w}${B}` : `${B}${stem}`;
  });
  return `%${parts.join('%')}%`;
}

/** Whether a text matches any of the patterns, as SQL's LIKE does in retrieve-sql.ts. */
export function matchesPatterns(text: string, patterns: readonly string[]): boolean {
  const padded = ` ${text.toLowerCase()} `;
  return patterns.some((p) => likeRegex(p).test(padded));
}

/** Text as retrieve-sql normalises it in the database: lower case, non-letters/digits as spaces. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, ' ');
}

const regexCache = new Map<string, RegExp>();
function likeRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    // Our patterns hold letters, digits, spaces, % and [classes] only.
    const part = (s: string): string => s.replace(/[.*+?${}()|\\]/g, '\\$&');
    re = new RegExp(`^${pattern.split('%').map(part).join('.*')}$`, 's');
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}
