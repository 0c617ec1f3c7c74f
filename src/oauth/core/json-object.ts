/** What a JSON request body held: an object, or why it is not one. */
export type JsonObjectVerdict = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Parses a JSON request body that must be an object (RFC 7591 §3.1: the client metadata). A member
 * name repeated inside one object is refused (RFC 8259 §4 leaves its meaning to the parser), so no
 * two parsers can disagree on which value was checked, as RFC 6749 §3.1 refuses repeated form
 * parameters.
 */
export function parseJsonObject(text: string): JsonObjectVerdict {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'The body must be a JSON object' };
  const repeated = repeatedMember(text);
  if (repeated !== undefined) return { ok: false, reason: `Member ${JSON.stringify(repeated.slice(0, 100))} is repeated` };
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * The first member name that appears twice in one object of `text`, a valid JSON text (one pass,
 * a stack of the names seen per open object; escapes are decoded, so `"a"` and `"\u0061"` match).
 */
function repeatedMember(text: string): string | undefined {
  const open: Array<Set<string> | undefined> = [];
  let expectName = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const names = open.at(-1);
      if (expectName && names) {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (names.has(name)) return name;
        names.add(name);
        expectName = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      open.push(char === '{' ? new Set() : undefined);
      expectName = char === '{';
    } else if (char === '}' || char === ']') {
      open.pop();
      expectName = false;
    } else if (char === ',') {
      expectName = open.at(-1) !== undefined;
    }
  }
  return undefined;
}
