import { DbError } from '../db/errors.ts';
import type { GuardVerdict } from '../sql-guard/types.ts';
import { StateStoreError } from '../state/errors.ts';
import type { CallStats, Outcome, ResearchErrorCode } from './types.ts';

/** Measures one call and builds its outcome, so every path reports the same stats. */
export interface Meter {
  ok<T>(value: T, rows: number, truncated?: boolean): Outcome<T>;
  fail<T>(code: ResearchErrorCode, message: string, rows?: number): Outcome<T>;
  /** Maps a database or state-store failure to an outcome; anything else is a bug and is rethrown. */
  dbFailure<T>(err: unknown): Outcome<T>;
  refused<T>(verdict: Extract<GuardVerdict, { ok: false }>): Outcome<T>;
  form: string;
}

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

const DB_ADVICE: Record<DbError['code'], string> = {
  DB_UNAVAILABLE: '',
  BUSY: '',
  QUERY_TIMEOUT: ' Narrow the query (add WHERE conditions or TOP, avoid scanning large tables) and try again.',
  QUERY_FAILED: ' Check table and column names with `describe <table>` and try again.',
  XML_NOT_BOUNDED: '',
  OBJECT_DENIED: ' Write each table as `schema.name`, spelled exactly as "list tables" shows it.',
};

export function startMeter(form: string): Meter {
  const started = performance.now();
  const stats = (rows: number, bytes: number, truncated?: boolean): CallStats => ({
    form,
    rows,
    bytes,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    ...(truncated === undefined ? {} : { truncated }),
  });
  const meter: Meter = {
    form,
    ok: (value, rows, truncated) => ({ ok: true, value, stats: stats(rows, jsonBytes(value), truncated) }),
    fail: (code, message, rows = 0) => ({ ok: false, code, message, stats: stats(rows, 0) }),
    dbFailure(err) {
      if (err instanceof StateStoreError) return meter.fail('STATE_UNAVAILABLE', err.message);
      if (!(err instanceof DbError)) throw err;
      // The guard's check on the server refused a name: a guard refusal, not a query failure.
      if (err.code === 'OBJECT_DENIED') return meter.fail('OBJECT_NOT_ALLOWED', `${err.message}${DB_ADVICE[err.code]}`);
      return meter.fail(err.code, `${err.message}${DB_ADVICE[err.code]}`);
    },
    refused(verdict) {
      // The guard usually spells the position into its reason already ("at line 1, column 8").
      const p = verdict.position;
      const where = p && !verdict.reason.includes(`line ${p.line}, column ${p.column}`) ? ` (line ${p.line}, column ${p.column})` : '';
      const hint = verdict.hint ? ` ${verdict.hint}` : '';
      return meter.fail(verdict.code, `${verdict.reason}${where}${hint}`);
    },
  };
  return meter;
}
