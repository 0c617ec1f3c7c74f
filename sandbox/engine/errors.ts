import type { SqlMessage } from '../backend.ts';

/**
 * A SQL Server-style error raised by the engine (translation or execution). `number`, `severity`
 * and `state` follow SQL Server's own values so clients can switch on them.
 */
export class TsqlError extends Error {
  readonly code = 'TSQL_ERROR';
  readonly number: number;
  readonly severity: number;
  readonly state: number;
  /** Whether the error ends the batch (SQL Server aborts the batch for some errors). */
  readonly abortsBatch: boolean;

  constructor(
    number: number,
    message: string,
    options: { severity?: number; state?: number; abortsBatch?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TsqlError';
    this.number = number;
    this.severity = options.severity ?? 16;
    this.state = options.state ?? 1;
    this.abortsBatch = options.abortsBatch ?? false;
  }

  toMessage(line: number): SqlMessage {
    return { number: this.number, state: this.state, severity: this.severity, message: this.message, line };
  }
}

/** Error 102/156: what SQL Server says when it cannot parse text near a token. */
export function syntaxError(near: string): TsqlError {
  const shown = near.length > 128 ? near.slice(0, 128) : near;
  if (/^[A-Za-z_]+$/.test(shown) && KEYWORD_LIKE.has(shown.toUpperCase())) {
    return new TsqlError(156, `Incorrect syntax near the keyword '${shown.toUpperCase()}'.`, { severity: 15 });
  }
  return new TsqlError(102, `Incorrect syntax near '${shown}'.`, { severity: 15 });
}

const KEYWORD_LIKE = new Set(
  'SELECT FROM WHERE GROUP ORDER BY HAVING INSERT UPDATE DELETE INTO VALUES SET AS ON JOIN UNION EXCEPT INTERSECT IF ELSE BEGIN END WHILE EXEC EXECUTE CREATE ALTER DROP TABLE VIEW PROCEDURE FUNCTION TRIGGER DECLARE RETURN WITH CASE WHEN THEN AND OR NOT NULL IS IN EXISTS'.split(
    ' ',
  ),
);

/** Error 208: an object name that does not resolve. */
export function invalidObject(name: string): TsqlError {
  return new TsqlError(208, `Invalid object name '${name}'.`);
}

/** Error 137: a variable used without DECLARE. */
export function undeclaredVariable(name: string): TsqlError {
  return new TsqlError(137, `Must declare the scalar variable "${name}".`, { severity: 15, state: 2 });
}
