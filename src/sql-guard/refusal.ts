import type { GuardCode, GuardPosition, GuardVerdict } from './types.ts';

/** A refusal found by one stage of the guard; `offset` points into the original SQL text. */
export interface Refusal {
  code: GuardCode;
  reason: string;
  hint?: string;
  offset?: number;
}

/** 1-based line and column of `offset`, counting CR, LF and CRLF as one line break each. */
export function positionOf(text: string, offset: number): GuardPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a refusal happened, spelled for the model: "at line 1, column 8". */
export function where(text: string, offset: number): string {
  const p = positionOf(text, offset);
  return `at line ${p.line}, column ${p.column}`;
}

/** Turns a stage's refusal into the public verdict. */
export function toVerdict(text: string, refusal: Refusal): GuardVerdict {
  const verdict: GuardVerdict = { ok: false, code: refusal.code, reason: refusal.reason };
  if (refusal.hint !== undefined) verdict.hint = refusal.hint;
  if (refusal.offset !== undefined) verdict.position = positionOf(text, refusal.offset);
  return verdict;
}

/** Short, single-line excerpt of a token for messages (never the whole query). */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

export const REWRITE_HINT = 'Rewrite the request as a single read-only SELECT query (WITH … SELECT is fine).';
