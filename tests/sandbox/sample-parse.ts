/**
 * A deliberately small reader for the sample generator's own output, so the tests check the T-SQL
 * text that is actually emitted (not the generator's internal data): multi-row INSERTs of
 * literals, and CREATE TABLE column lists.
 */

export type Literal = string | number | null;

export interface ParsedInsert {
  table: string;
  columns: string[];
  rows: Literal[][];
}

const unbracket = (name: string): string => name.trim().replace(/^\[(.*)\]$/, '$1');

/** Parses `INSERT INTO schema.table (cols) VALUES (…), (…);` or returns null for other batches. */
export function parseInsert(batch: string): ParsedInsert | null {
  const head = /^INSERT INTO (\S+) \(([^)]*)\) VALUES\n/.exec(batch);
  if (head === null) return null;
  const table = (head[1] ?? '').split('.').map(unbracket).join('.');
  const columns = (head[2] ?? '').split(',').map(unbracket);
  const rows: Literal[][] = [];
  let i = head[0].length;
  let row: Literal[] | null = null;
  while (i < batch.length) {
    const ch = batch[i] as string;
    if (ch === '(' && row === null) {
      row = [];
      i++;
    } else if (ch === ')' && row !== null) {
      rows.push(row);
      row = null;
      i++;
    } else if (row === null || ch === ',' || ch === ' ' || ch === '\n' || ch === ';') {
      i++;
    } else if (ch === "'" || (ch === 'N' && batch[i + 1] === "'")) {
      let j = ch === 'N' ? i + 2 : i + 1;
      let text = '';
      for (;;) {
        const k = batch.indexOf("'", j);
        if (k < 0) throw new SyntaxError('unterminated string');
        text += batch.slice(j, k);
        if (batch[k + 1] === "'") {
          text += "'";
          j = k + 2;
        } else {
          j = k + 1;
          break;
        }
      }
      row.push(text);
      i = j;
    } else {
      const m = /^(NULL|0x[0-9A-F]*|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)/i.exec(batch.slice(i, i + 80));
      if (m === null) throw new SyntaxError(`unexpected literal at ${batch.slice(i, i + 30)}`);
      const token = m[1] as string;
      row.push(token === 'NULL' ? null : token.startsWith('0x') ? token : Number(token));
      i += token.length;
    }
  }
  return { table, columns, rows };
}

/** Columns of each `CREATE TABLE` batch: `schema.Table` → column names. */
export function parseCreateTable(batch: string): { table: string; columns: string[] } | null {
  const head = /^CREATE TABLE (\S+) \(\n/.exec(batch);
  if (head === null) return null;
  const table = (head[1] ?? '').split('.').map(unbracket).join('.');
  const columns: string[] = [];
  for (const line of batch.slice(head[0].length).split('\n')) {
    const m = /^\s+(\[[^\]]+\]|\w+) (\w+)/.exec(line);
    if (m === null || m[1] === 'CONSTRAINT') continue;
    columns.push(unbracket(m[1] as string));
  }
  return { table, columns };
}

/** Rows per `schema.Table` in a stream of generated batches, read from the INSERT text itself. */
export function countRows(batches: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const batch of batches) {
    const insert = parseInsert(batch);
    if (insert !== null) counts.set(insert.table, (counts.get(insert.table) ?? 0) + insert.rows.length);
  }
  return counts;
}
