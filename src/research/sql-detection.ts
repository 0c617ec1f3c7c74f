/**
 * Whether a `search` query is T-SQL (judged by the guard, so a write is refused, never "searched
 * for") or words (natural-language search). Owned with the guard: it must recognise every
 * statement T-SQL has, or a statement would be searched for as words instead of refused.
 */

const words = (s: string): Set<string> => new Set(s.trim().toLowerCase().split(/\s+/));

/**
 * Statement-leading words that are not everyday English (or that lead text which is SQL in
 * practice): text starting with one of them, standing alone as a word, is SQL.
 */
const STATEMENT_WORDS = words(`
select with insert update delete merge drop create alter truncate exec execute grant revoke deny
declare set use begin commit rollback save waitfor bulk backup restore dbcc shutdown reconfigure
checkpoint deallocate raiserror throw if while goto readtext writetext updatetext revert setuser
sp_executesql lineno`);

/**
 * Statement-leading words that are also everyday English ("open tickets", "kill switch", "print
 * jobs"), with the words or tokens that make them a statement. They are SQL when written in capitals
 * (`KILL 53`, `OPEN c`), when a listed word follows, or when a number, string, variable,
 * parenthesis or semicolon follows — or nothing at all.
 */
const CONTEXTUAL: Record<string, Set<string>> = {
  kill: words('query stats'),
  open: words('symmetric master global'),
  close: words('symmetric master all global'),
  fetch: words('next prior first last absolute relative from'),
  get: words('conversation'),
  move: words('conversation'),
  send: words('on'),
  receive: words('top'),
  enable: words('trigger'),
  disable: words('trigger'),
  print: words(''),
  return: words(''),
  break: words(''),
  continue: words(''),
  go: words(''),
  load: words('database transaction tran table'),
  dump: words('database transaction tran table'),
  end: words('conversation try catch'),
  add: words('signature counter sensitivity'),
  copy: words('into'),
  rename: words('object database'),
};

/** A lone multi-part name (`dbo.usp_Purge`): SQL Server executes it as a procedure call. */
const LONE_MULTIPART = /^[\p{L}\p{N}_$#@[\]"]+(?:\.[\p{L}\p{N}_$#@[\]"]*)+$/u;

/** Whether `word` (as written) leads a statement given `rest`, the text after it. */
function leadsStatement(written: string, rest: string): boolean {
  const word = written.toLowerCase();
  if (STATEMENT_WORDS.has(word) || word.startsWith('sp_') || word.startsWith('xp_')) return true;
  const follow = CONTEXTUAL[word];
  if (follow === undefined) return false;
  const next = rest.trimStart();
  if (next === '' || /^[-+]?[0-9'"@(;[*]|^N'/.test(next)) return true;
  if (written === written.toUpperCase() && /[A-Z]/.test(written)) return true;
  const nextWord = /^[\p{L}_]+/u.exec(next)?.[0]?.toLowerCase();
  return nextWord !== undefined && follow.has(nextWord);
}

/** Words and nothing else: no operator, quote, bracket, dot, `@`, semicolon or comment. */
const PLAIN = /^(?!.*--)[\p{L}\p{N}\s,-]*[?!.]?\s*$/u;
const INSERT_SOURCES = new Set(['values', 'select', 'exec', 'execute', 'default']);
/** Statement words whose next word can only be one of these or a number (BEGIN also a statement: a block). */
const NEXT_WORDS: Record<string, Set<string>> = {
  begin: words('tran transaction try catch distributed conversation dialog atomic'),
  save: words('tran transaction'),
  commit: words('tran transaction work'),
  rollback: words('tran transaction work'),
  truncate: words('table'),
  bulk: words('insert'),
  backup: words('database log certificate master service symmetric'),
  restore: words('database log filelistonly headeronly labelonly verifyonly rewindonly master service symmetric'),
  shutdown: words('with'),
  revert: words('with'),
  checkpoint: new Set(),
};
/** Statement words followed by at most this many plain words. */
const AT_MOST_WORDS: Record<string, number> = { use: 1, goto: 1, deallocate: 2, throw: 0 };
const DELETE_CLAUSES = new Set(['from', 'where', 'output', 'option', 'with']);
/** Words after which T-SQL allows its reserved word OF (`CURRENT OF c`, `FOR UPDATE OF a`, `INSTEAD OF INSERT`, `AS OF`). */
const BEFORE_OF = new Set(['current', 'update', 'instead', 'as']);

/**
 * Whether text led by a statement word is a phrase no T-SQL statement can be ("drop-off points",
 * "insert date of imported rows", "with which carrier…", "update notes from the old system"): the
 * word not written in capitals, plain words only (a statement with a string, a variable, a list or
 * a qualified name has punctuation), and the word the first half of a hyphenated word, or WITH or
 * DECLARE without the parentheses, `@variable` or cursor they need, or UPDATE without SET (or
 * STATISTICS), INSERT without a source, DELETE with more than its target and clauses, or a bare
 * OF, which T-SQL reserves for a few places. Anything else stays SQL.
 */
function readsAsPhrase(written: string, rest: string): boolean {
  if (written === written.toUpperCase() || !PLAIN.test(rest)) return false;
  if (/^-\p{L}/u.test(rest)) return true;
  const word = written.toLowerCase();
  const after = rest
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0);
  if (word === 'with') return true;
  if (word === 'declare' && !after.includes('cursor')) return true;
  if (word === 'update' && after[0] !== 'statistics' && !after.includes('set')) return true;
  // INSERT takes its rows from VALUES, SELECT, EXEC or DEFAULT VALUES.
  if (word === 'insert' && !after.some((w) => INSERT_SOURCES.has(w))) return true;
  // DELETE [FROM] target, then nothing or another clause: "delete column meaning" is none of that.
  if (word === 'delete') {
    const next = after[after[0] === 'from' ? 2 : 1];
    if (next !== undefined && !DELETE_CLAUSES.has(next)) return true;
  }
  // IF and WHILE test a condition, which needs an operator, a parenthesis, a variable or a number.
  if ((word === 'if' || word === 'while') && !/\d/.test(rest)) return true;
  if (word === 'merge' && !after.includes('using')) return true;
  // USE a database, GOTO a label, DEALLOCATE [GLOBAL] a cursor, THROW with its arguments quoted.
  const most = AT_MOST_WORDS[word];
  if (most !== undefined && after.length > most) return true;
  const next = NEXT_WORDS[word];
  const first = after[0];
  const statement = (w: string): boolean => STATEMENT_WORDS.has(w) || w in CONTEXTUAL;
  if (next !== undefined && first !== undefined && !next.has(first) && !/^\d+$/.test(first) && !(word === 'begin' && statement(first)))
    return true;
  return after.some((w, i) => w === 'of' && !BEFORE_OF.has(i === 0 ? word : (after[i - 1] ?? '')));
}

/** An e-mail address alone: looked up as words, never a multi-part name (searching executes nothing). */
const LONE_EMAIL = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

/** Whether text should be judged by the guard rather than searched as words. */
export function looksLikeSql(text: string): boolean {
  const folded = text.normalize('NFKC').trimStart();
  if (LONE_EMAIL.test(folded.trim())) return false;
  if (/^(?:[(;[\]"@#{]|--|\/\*)/.test(folded)) return true;
  const first = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(folded)?.[0];
  if (first !== undefined) {
    const rest = folded.slice(first.length);
    // A label (`l: DELETE …`) leads a statement too.
    const label = /^\s*:\s*([\p{L}_][\p{L}\p{N}_]*)/u.exec(rest);
    if (label?.[1] !== undefined && leadsStatement(label[1], rest.slice(label[0].length))) return true;
    if (leadsStatement(first, rest)) return !(STATEMENT_WORDS.has(first.toLowerCase()) && readsAsPhrase(first, rest));
  }
  return LONE_MULTIPART.test(folded.trim());
}
