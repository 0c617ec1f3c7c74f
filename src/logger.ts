import { pino, type DestinationStream } from 'pino';
import type { LogLevel } from './config.ts';

export type LogFields = Record<string, unknown>;

/** Structured JSON logs, one line per event. Reads no environment; level and sink are options. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the request id). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Receives one JSON line without the trailing newline. Default: stdout. */
  write?: (line: string) => void;
  now?: () => Date;
}

/** Field names whose values are never written, at any depth, whatever the caller passes. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api_?key|cookie|credential|assertion/i;
/** Deeper than this, a value is summarised: logs are for events, not object dumps. */
const MAX_DEPTH = 6;

/**
 * Creates a pino logger behind the project's small `Logger` seam. Fields whose names look secret
 * are replaced by `[redacted]` at every depth (nested objects and arrays too); Error values become
 * `{name, code, message, cause}` (stacks only at debug), never the driver's raw error object with
 * its connection details. Lines keep the shape `{time, level, msg, …fields}`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const withStack = options.level === 'debug';
  const now = options.now ?? (() => new Date());
  const sink: DestinationStream | undefined = options.write
    ? { write: (line: string) => options.write?.(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : undefined;
  const root = pino(
    {
      level: options.level,
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => clean(fields, withStack, 0, new WeakSet()) as Record<string, unknown>,
      },
    },
    sink ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(root, withStack);
}

function wrap(instance: pino.Logger, withStack: boolean): Logger {
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    if (!instance.isLevelEnabled(level)) return;
    instance[level](fields ?? {}, message);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // Bindings bypass formatters.log, so a child's fields are cleaned here.
    child: (fields) => wrap(instance.child(clean(fields, withStack, 0, new WeakSet()) as LogFields), withStack),
  };
}

function clean(value: unknown, withStack: boolean, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Error) return serializeError(value, withStack, depth, seen);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => clean(item, withStack, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : clean(item, withStack, depth + 1, seen);
  }
  return out;
}

function serializeError(error: Error, withStack: boolean, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(code === undefined ? {} : { code: typeof code === 'string' || typeof code === 'number' ? code : String(code) }),
    message: error.message,
    ...(withStack && error.stack ? { stack: error.stack } : {}),
    ...(error.cause === undefined || depth >= MAX_DEPTH ? {} : { cause: clean(error.cause, withStack, depth + 1, seen) }),
  };
}
