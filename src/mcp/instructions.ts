import type { Research } from '../research/types.ts';

/** Said when the database cannot describe itself right now (it is down at initialize). */
export const FALLBACK_INSTRUCTIONS =
  'Read-only access to a Microsoft SQL Server database through two tools. Use search("list tables") to ' +
  'see what exists, search("describe <schema.table>") for columns and keys, search with a T-SQL SELECT ' +
  'for exact questions, or plain words to find matching tables and rows; then fetch(id) for full documents.';

/**
 * Memoises `research.instructions()` for `ttlMs`, since every stateless `initialize` needs them
 * and they change only with the schema. A failure yields the generic text and is retried on the
 * next call, so a database outage never breaks (or stalls past `timeoutMs`) `initialize`.
 */
export function createInstructionsSource(
  research: Research,
  options: { ttlMs?: number; timeoutMs?: number; now?: () => number } = {},
): () => Promise<string> {
  const { ttlMs = 300_000, timeoutMs = 5_000, now = Date.now } = options;
  let cached: { text: string; at: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached && now() - cached.at < ttlMs) return cached.text;
    pending ??= withTimeout(research.instructions(), timeoutMs)
      .then((text) => {
        cached = { text, at: now() };
        return text;
      })
      .catch(() => FALLBACK_INSTRUCTIONS)
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('instructions timed out')), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
