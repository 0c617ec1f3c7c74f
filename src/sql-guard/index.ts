/**
 * The read-only guard: the product's promise that nothing the connector runs can write.
 *
 * `check(sql)` decides in stages, each fail-closed, and never throws:
 * 1. size cap (`SQL_TOO_LONG`) before any work;
 * 2. lexing with SQL Server's own rules (`tsql-lexer.ts`) and a scan of every token: lexer errors
 *    (backticks, backslashes outside strings, unterminated strings/identifiers/comments), odd
 *    Unicode spaces outside string literals, `/*!` comments, `@variables`, a second statement after
 *    `;`, reserved keywords the SELECT grammar does not use, statement-starting and lock-holding
 *    words, server-level security objects, session/log DMVs and `xp_`/`sp_` procedures;
 * 3. a grammar of exactly one query over the T-SQL tokens (`query-parser.ts`), which finds where
 *    the query ends — T-SQL runs `SELECT 1 DROP TABLE t` as two statements without a semicolon —
 *    and which tables it reads (`OBJECT_NOT_ALLOWED` against DENY_SCHEMAS/DENY_TABLES/allow-list);
 * 4. node-sql-parser (transactsql) as a second opinion on a normalised re-emission, adding refusals
 *    and tables where it can parse; about 10% of real queries it cannot, and those stay accepted
 *    on the strength of stage 3;
 * 5. the SQL to run is **regenerated from the checked T-SQL tokens** (comments dropped, row cap
 *    applied, a top-level FOR JSON/XML turned into one scalar cell that TEXTSIZE and the cell cap
 *    bound — `for-output.ts`), never the caller's text.
 *
 * Parser differentials. node-sql-parser's lexer differs from SQL Server's: it honours backslash
 * escapes in quotes, backticks, `#` comments and MySQL `/*!` comments. In `SELECT 'a\'; DROP TABLE
 * t; --'` SQL Server sees the complete string `'a\'`, then `;`, then DROP; node-sql-parser sees one
 * string running to the end. The guard never lets node-sql-parser's reading decide acceptance:
 * every decision that accepts is made on the T-SQL lexer's tokens (stage 2 refuses the DROP
 * there), node-sql-parser only receives text whose string contents are replaced by `'s'` (so no
 * backslash or quote inside a literal can shift its token boundaries), and what finally runs is
 * re-emitted token by token, so SQL Server executes exactly the token sequence that was checked.
 * Comments, where lexers disagree most (nesting, `--` without a space, line ends), never reach the
 * server at all.
 *
 * Statement boundaries. Every T-SQL statement other than a query starts with a reserved keyword
 * (refused by the scan unless the SELECT grammar uses it) or one of a few non-reserved ones (also
 * refused), so a second statement SQL Server might find where the grammar found none could only
 * start with SELECT, WITH or `(`. The grammar accepts those only where T-SQL requires a
 * continuation (after `(` of an operand, UNION, IN, EXISTS, TOP…), and it parses every subquery's
 * contents like the main query; so even a misjudged boundary could only yield a second read of
 * already-checked objects, never a write.
 */
import type { Guard, GuardPolicy, GuardVerdict } from './types.ts';
import { lexTsql, significantTokens, type Token } from './tsql-lexer.ts';
import { keywordsOf, scanTokens } from './token-scan.ts';
import { isParseFailure } from './query-cursor.ts';
import { parseQuery, type QueryShape } from './query-parser.ts';
import { createObjectPolicy, type ObjectPolicy } from './object-policy.ts';
import { judgeReferences, notAllowed } from './object-references.ts';
import { astOpinion, createAstParser } from './ast-check.ts';
import { memoryCapEdits, regenerate, rowCapEdits } from './regenerate.ts';
import { chunkedColumnName, FOR_OUTPUT_HINT, forOutputEdits } from './for-output.ts';
import { foldName } from './word-rules.ts';
import { excerpt, REWRITE_HINT, toVerdict, where, type Refusal } from './refusal.ts';

export type { Guard, GuardCode, GuardPolicy, GuardPosition, GuardVerdict } from './types.ts';

/**
 * The reason given when checking itself failed (a bug in the guard, not a verdict on the query):
 * the query is refused (fail closed). Exported so tests can tell this fallback from a real verdict.
 */
export const UNPROVEN_REASON = 'The query could not be proven read-only, so it was not run.';

/**
 * Creates a guard for one policy. The policy is validated here, once: a malformed limit or list
 * entry throws `TypeError` at startup instead of weakening every later check.
 */
export function createGuard(policy: GuardPolicy): Guard {
  if (!Number.isSafeInteger(policy.maxLength) || policy.maxLength < 1) throw new TypeError('maxLength must be a positive integer');
  if (!Number.isSafeInteger(policy.rowCap) || policy.rowCap < 1) throw new TypeError('rowCap must be a positive integer');
  const grant = policy.maxGrantPercent;
  if (grant !== undefined && !(Number.isSafeInteger(grant) && grant >= 1 && grant <= 100))
    throw new TypeError('maxGrantPercent must be an integer from 1 to 100');
  const objects = createObjectPolicy(policy);
  const parser = createAstParser();
  const context: CheckContext = { limits: { maxLength: policy.maxLength, rowCap: policy.rowCap, maxGrantPercent: grant }, objects, parser };
  return {
    check(sql: string): GuardVerdict {
      try {
        return checkSql(context, sql);
      } catch {
        return {
          ok: false,
          code: 'READ_ONLY_VIOLATION',
          reason: UNPROVEN_REASON,
          hint: REWRITE_HINT,
        };
      }
    },
    allowsTable(schema: string, name: string): boolean {
      try {
        return objects.allows(schema, name);
      } catch {
        return false;
      }
    },
  };
}

interface CheckContext {
  limits: Pick<GuardPolicy, 'maxLength' | 'rowCap' | 'maxGrantPercent'>;
  objects: ObjectPolicy;
  parser: ReturnType<typeof createAstParser>;
}

function checkSql(ctx: CheckContext, sql: string): GuardVerdict {
  if (typeof sql !== 'string') return toVerdict('', { code: 'SQL_PARSE_ERROR', reason: 'The query must be text.' });
  if (sql.length > ctx.limits.maxLength) {
    return toVerdict(sql, {
      code: 'SQL_TOO_LONG',
      reason: `The query is ${sql.length} characters long; at most ${ctx.limits.maxLength} are accepted.`,
      hint: 'Shorten the query: select fewer columns or split the question into several queries.',
    });
  }
  const all = lexTsql(sql);
  const sig = significantTokens(all);
  if (sig.length === 0) return toVerdict(sql, { code: 'SQL_PARSE_ERROR', reason: 'The query is empty.', hint: REWRITE_HINT });
  const kws = keywordsOf(sig);
  const scanned = scanTokens(sql, all, sig, kws) ?? chunkedColumnName(sig);
  if (scanned) return toVerdict(sql, scanned);

  let shape: QueryShape;
  try {
    shape = parseQuery(sig, kws);
  } catch (e) {
    if (!isParseFailure(e)) throw e;
    return toVerdict(sql, grammarRefusal(sql, sig, e.index, e.expected));
  }

  const judged = judgeReferences(ctx.objects, shape, sig, sql);
  if ('code' in judged) return toVerdict(sql, judged);

  const opinion = astOpinion(ctx.parser, sig, kws, shape.outer.tail);
  if (opinion.parsed) {
    if (opinion.refusal !== undefined) {
      return toVerdict(sql, {
        code: 'READ_ONLY_VIOLATION',
        reason: `Only a single read-only SELECT statement can run, and this query is not one: ${opinion.refusal}.`,
        hint: REWRITE_HINT,
      });
    }
    for (const t of opinion.tables) {
      if (t.schema === '' && shape.cteNames.has(foldName(t.name))) continue;
      const schema = t.schema === '' ? 'dbo' : t.schema;
      if (!ctx.objects.allows(schema, t.name)) return toVerdict(sql, notAllowed(`${schema}.${t.name}`, '', undefined));
    }
  }

  const body = sig[sig.length - 1]?.text === ';' ? sig.slice(0, -1) : sig;
  const memory = memoryCapEdits(body, shape.outer, ctx.limits.maxGrantPercent);
  if (typeof memory === 'string')
    return toVerdict(sql, { code: 'READ_ONLY_VIOLATION', reason: memory, hint: 'Leave MAX_GRANT_PERCENT out: the connector sets it.' });
  const forOutput = forOutputEdits(body, shape.outer);
  if (typeof forOutput === 'string') return toVerdict(sql, { code: 'SQL_PARSE_ERROR', reason: `${forOutput}.`, hint: FOR_OUTPUT_HINT });
  const rows = rowCapEdits(body, shape.outer, ctx.limits.rowCap + 1);
  // The FOR JSON/XML subquery opens before the row cap's own wrapping and closes before OPTION.
  const edits = forOutput ? [forOutput.open, ...rows, forOutput.close, ...memory] : [...rows, ...memory];
  const capped = regenerate(body, edits);
  const verdict: GuardVerdict = { ok: true, sql: capped, tables: judged.tables };
  if (judged.check) verdict.check = { ...judged.check, references: judged.spelled };
  return verdict;
}

function grammarRefusal(sql: string, sig: readonly Token[], index: number, expected: string): Refusal {
  const t = sig[index];
  const offset = t?.start ?? sql.length;
  const found = t ? `found ${excerpt(t.text)} ${where(sql, offset)}` : 'the query ended early';
  if (index === 0) {
    return {
      code: 'READ_ONLY_VIOLATION',
      reason: `Only a single SELECT statement can run: ${found}. Rewrite the request as a SELECT query.`,
      hint: REWRITE_HINT,
      offset,
    };
  }
  const startsStatement = t !== undefined && (t.text === '(' || /^(SELECT|WITH)$/i.test(t.text));
  if (expected === 'the end of the query' && startsStatement) {
    return {
      code: 'READ_ONLY_VIOLATION',
      reason: `Only a single SELECT statement can run: the query ends before ${excerpt(t.text)} ${where(sql, offset)}, which would start another statement.`,
      hint: 'Send exactly one SELECT query; use UNION ALL or a subquery to combine results.',
      offset,
    };
  }
  if (expected === 'the end of the query') {
    return {
      code: 'SQL_PARSE_ERROR',
      reason: `The query could not be parsed as T-SQL: unexpected ${excerpt(t?.text ?? '')} ${where(sql, offset)}.`,
      hint: 'Check spelling, aliases and clause order (FROM, WHERE, GROUP BY, HAVING, ORDER BY).',
      offset,
    };
  }
  return {
    code: 'SQL_PARSE_ERROR',
    reason: `The query could not be parsed as T-SQL: expected ${expected} but ${found}.`,
    hint: 'Check the syntax near that position; write standard T-SQL (SQL Server), one SELECT query.',
    offset,
  };
}
