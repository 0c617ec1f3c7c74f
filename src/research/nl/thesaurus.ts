import { readFileSync } from 'node:fs';
import { z } from 'zod';
import builtIn from './thesaurus.json' with { type: 'json' };
import { isStopWord } from '../words.ts';
import { normaliseText, stemOf } from './terms.ts';

/**
 * Business vocabulary: groups of words and phrases that mean the same thing to a researcher
 * ("charged twice" ~ "double billing", "impolite" ~ "rude"). A query that contains one member of a
 * group is expanded with the others, weighted below the user's own words. The built-in groups ship
 * in thesaurus.json; an operator adds groups with `SEARCH_THESAURUS` (a JSON file of the same shape).
 */
export interface Thesaurus {
  /** Each group as phrases, each phrase as its lower-case words. */
  groups: ReadonlyArray<ReadonlyArray<readonly string[]>>;
}

const fileShape = z.object({ groups: z.array(z.array(z.string().min(1).max(200)).min(2).max(50)).max(10_000) });

export class ThesaurusError extends Error {
  readonly code = 'THESAURUS_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ThesaurusError';
  }
}

const phraseWords = (phrase: string): string[] => normaliseText(phrase).split(/\s+/).filter(Boolean);

function fromGroups(groups: readonly (readonly string[])[]): Thesaurus {
  return { groups: groups.map((g) => g.map(phraseWords).filter((p) => p.length > 0)).filter((g) => g.length > 1) };
}

/** The built-in thesaurus, plus the groups of the operator's file when a path is given. */
export function loadThesaurus(path?: string): Thesaurus {
  const base = fileShape.parse(builtIn).groups;
  if (!path) return fromGroups(base);
  let parsed: z.infer<typeof fileShape>;
  try {
    parsed = fileShape.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new ThesaurusError(`${path} is not a readable JSON file of the form {"groups": [["word", "synonym", …], …]}.`, { cause: err });
  }
  return fromGroups([...base, ...parsed.groups]);
}

export interface Expansion {
  /** The words of the synonym phrase. */
  words: string[];
  /** Index of the first query word of the phrase that triggered it. */
  from: number;
}

/**
 * The synonyms of the phrases found in the query words (compared by stem, stop words aside: the
 * query's words have none), excluding phrases the query already contains. A phrase is found by its
 * content words, and a phrase of several words only when two or more of them carry content ("not
 * received" would otherwise fire on any "received"). Groups found through a word `prefer` favours
 * come first, then through a longer phrase (more specific); synonyms are taken round-robin, one per
 * group in turn, at most `perGroup` from each group and `max` in all.
 */
export function expand(
  thesaurus: Thesaurus,
  words: readonly string[],
  max = 10,
  perGroup = 4,
  prefer: (index: number) => boolean = () => false,
): Expansion[] {
  const stems = words.map(stemOf);
  const findAt = (phrase: readonly string[]): number => {
    const content = phrase.filter((w) => !isStopWord(w));
    if (content.length === 0 || (phrase.length > 1 && content.length < 2)) return -1;
    const p = content.map(stemOf);
    for (let i = 0; i + p.length <= stems.length; i++) if (p.every((s, j) => stems[i + j] === s)) return i;
    return -1;
  };
  const found: Array<{ group: ReadonlyArray<readonly string[]>; from: number; length: number }> = [];
  for (const group of thesaurus.groups) {
    const hit = group
      .map((phrase) => ({ from: findAt(phrase), length: phrase.length }))
      .filter((h) => h.from >= 0)
      .sort((a, b) => b.length - a.length)[0];
    if (hit) found.push({ group, ...hit });
  }
  found.sort((a, b) => Number(prefer(b.from)) - Number(prefer(a.from)) || b.length - a.length);
  const queues = found.map(({ group, from }) => ({ from, phrases: group.filter((phrase) => findAt(phrase) < 0).slice(0, perGroup) }));
  const out: Expansion[] = [];
  const seen = new Set<string>(words.map(stemOf));
  for (let round = 0; round < perGroup; round++) {
    for (const q of queues) {
      const phrase = q.phrases[round];
      if (!phrase) continue;
      const key = phrase.map(stemOf).join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ words: [...phrase], from: q.from });
      if (out.length >= max) return out;
    }
  }
  return out;
}
