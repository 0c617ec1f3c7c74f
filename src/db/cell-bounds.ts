/** Appended to a cell cut at MAX_CELL_BYTES, so a reader (or the model) knows it is not the whole value. */
export const CELL_TRUNCATED_MARKER = '…[truncated: cell over MAX_CELL_BYTES]';

/** Largest `SET TEXTSIZE` SQL Server accepts (also its "unlimited"). */
const MAX_TEXTSIZE = 2_147_483_647;

/**
 * `SET TEXTSIZE` for a cell budget of `maxCellBytes` UTF-8 bytes. TEXTSIZE counts the bytes the
 * server sends of varchar(max), nvarchar(max), varbinary(max), text, ntext and image values (two
 * per nvarchar character), so twice the budget plus one character is always enough to fill the
 * budget and to see that a value went past it — and the driver never buffers more than that of
 * one cell, however large the stored value is (issue 10 item 12: one 120-million-character cell).
 */
export function textSizeFor(maxCellBytes: number): number {
  return Math.min(MAX_TEXTSIZE, 2 * maxCellBytes + 2);
}

/** `value` cut to at most `maxCellBytes` UTF-8 bytes plus the marker, or unchanged when it fits. */
export function boundCell(value: unknown, maxCellBytes: number): unknown {
  if (typeof value !== 'string' || value.length * 3 <= maxCellBytes) return value;
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length <= maxCellBytes) return value;
  // Back off to a character boundary: never cut inside a UTF-8 sequence.
  let end = Math.max(0, maxCellBytes - Buffer.byteLength(CELL_TRUNCATED_MARKER));
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8') + CELL_TRUNCATED_MARKER;
}

/** Bytes a JSON value takes in memory and in a result, roughly (strings exactly in UTF-8). */
export function cellBytes(value: unknown): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8') + 2;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  return JSON.stringify(value)?.length ?? 4;
}
