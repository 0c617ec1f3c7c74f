/**
 * Converts a T-SQL LIKE pattern (`%`, `_`, `[abc]`, `[a-z]`, `[^x]`, optional ESCAPE character) to
 * an anchored POSIX regular expression, for patterns PostgreSQL's LIKE cannot express.
 */
export function likeToRegex(pattern: string, escapeChar?: string): string {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (escapeChar && ch === escapeChar && i + 1 < pattern.length) {
      out += escapeRegex(pattern[i + 1] as string);
      i++;
    } else if (ch === '%') out += '.*';
    else if (ch === '_') out += '.';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.replace(/[\\\]]/g, (c) => `\\${c}`);
      out += `[${negate ? '^' : ''}${cls}]`;
      i = close;
    } else out += escapeRegex(ch);
  }
  return `${out}$`;
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}
