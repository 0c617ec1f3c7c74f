/**
 * `SET TEXTSIZE` (https://learn.microsoft.com/sql/t-sql/statements/set-textsize-transact-sql):
 * the most bytes of a varchar(max), nvarchar(max), varbinary(max), text, ntext or image value a
 * SELECT returns; longer values are cut silently. nvarchar counts two bytes per character. 0 resets
 * to the default 4096, -1 (and tedious's login value 2147483647) means no limit.
 *
 * Kept apart from the session so the hooks stay small: `setTextSize` from the SET statement,
 * `limitTextSize` around a request's events.
 */
import type { BatchEvent, ColumnMeta, SqlType, SqlValue } from '../backend.ts';

const UNLIMITED = 2_147_483_647;
const sizes = new WeakMap<object, number>();

/** Records `SET TEXTSIZE n` for a session (its state object is the key). */
export function setTextSize(session: object, value: number): void {
  if (!Number.isFinite(value)) return;
  sizes.set(session, value === 0 ? 4096 : value < 0 ? UNLIMITED : Math.min(UNLIMITED, Math.trunc(value)));
}

export function textSizeOf(session: object): number {
  return sizes.get(session) ?? UNLIMITED;
}

/** Large-value types, as the wire layer sends them (PLP: 'max', no length, or over 8000 bytes). */
function isLarge(type: SqlType): boolean {
  if (type.name === 'text' || type.name === 'ntext') return true;
  if (type.name !== 'varchar' && type.name !== 'nvarchar' && type.name !== 'varbinary') return false;
  const perUnit = type.name === 'nvarchar' ? 2 : 1;
  return type.length === undefined || type.length === 'max' || type.length * perUnit > 8000;
}

function cut(value: SqlValue, type: SqlType, limit: number): SqlValue {
  if (typeof value === 'string') {
    const chars = type.name === 'nvarchar' || type.name === 'ntext' ? Math.floor(limit / 2) : limit;
    return value.length > chars ? value.slice(0, chars) : value;
  }
  if (value instanceof Uint8Array && value.length > limit) return value.subarray(0, limit);
  return value;
}

/** The events of one request with large values cut to the session's TEXTSIZE at the time of each row. */
export async function* limitTextSize(events: AsyncIterable<BatchEvent>, session: object): AsyncGenerator<BatchEvent> {
  let columns: ColumnMeta[] = [];
  for await (const event of events) {
    if (event.kind === 'columns') columns = event.columns;
    if (event.kind !== 'row' || !sizes.has(session) || textSizeOf(session) >= UNLIMITED) {
      yield event;
      continue;
    }
    const limit = textSizeOf(session);
    yield {
      kind: 'row',
      values: event.values.map((value, i) => (columns[i] && isLarge(columns[i].type) ? cut(value, columns[i].type, limit) : value)),
    };
  }
}
