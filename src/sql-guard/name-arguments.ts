import type { Cursor } from './query-cursor.ts';

/**
 * Built-in functions whose first argument is an object's name as text (`OBJECT_ID('hr.Employees')`):
 * the object counts as referenced wherever the call appears.
 */
export const NAME_ARGUMENT_FUNCTIONS = new Set([
  'OBJECT_ID',
  'COL_LENGTH',
  'IDENT_CURRENT',
  'IDENT_SEED',
  'IDENT_INCR',
  'HAS_PERMS_BY_NAME',
  'DM_SQL_REFERENCED_ENTITIES',
  'DM_SQL_REFERENCING_ENTITIES',
]);

/** The first argument of a name-taking function (the cursor is on `(`): a literal name, or `dynamic`. */
export function recordNameArgument(c: Cursor): void {
  const arg = c.toks[c.pos + 1];
  const after = c.toks[c.pos + 2];
  const closes = after !== undefined && after.kind === 'punctuation' && (after.text === ',' || after.text === ')');
  const parts = arg?.kind === 'string' && closes ? splitNameLiteral(arg.value) : undefined;
  c.objects.push(parts === undefined ? { parts: [], index: c.pos + 1, kind: 'dynamic' } : { parts, index: c.pos + 1, kind: 'name' });
}

/**
 * The parts of a multi-part name written as text (`'[hr].Employees'`, `'"a b".c'`), as
 * `OBJECT_ID` reads it; undefined when it is not a well-formed name of at most four parts.
 */
export function splitNameLiteral(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    const open = text[i];
    if (open === '[' || open === '"') {
      const close = open === '[' ? ']' : '"';
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === close) {
          if (text[i + 1] !== close) break;
          i++;
        }
        value += text[i];
        i++;
      }
      i++;
      parts.push(value);
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.') j++;
      const value = text.slice(i, j).trim();
      if (/[[\]"]/.test(value)) return undefined;
      parts.push(value);
      i = j;
    }
    while (text[i] === ' ') i++;
    if (i >= text.length) break;
    if (text[i] !== '.') return undefined;
    i++;
  }
  if (parts.length > 4 || (parts[parts.length - 1] ?? '') === '') return undefined;
  return parts;
}
