import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

/** Largest JSON-RPC body read (the SDK's own default is 4 MB; tool inputs are small). */
export const MAX_JSON_RPC_BODY_BYTES = 1_000_000;
/** Most messages one JSON-RPC batch may carry; each is charged to the rate limit. */
export const MAX_BATCH_MESSAGES = 20;

/** The number of JSON-RPC messages in the request, as `jsonRpcBodyLimit` counted them (1 when unknown). */
export function jsonRpcMessageCount(c: Context<AppEnv>): number {
  return c.get('jsonRpcMessages') ?? 1;
}

/**
 * Reads a POSTed JSON-RPC body before the rate limit and the transport, for two reasons
 * (issue 10 items 11–12):
 *
 * - the limit holds while streaming: the body is read chunk by chunk and refused the moment it
 *   passes `maxBytes`, whatever the transfer encoding — a chunked body has no Content-Length to
 *   check, and buffering it first let a 300 MB body reach memory. The refusal closes the
 *   connection, so the rest is never read;
 * - a batch is counted: `principalRateLimit` charges one token per message (one request carried
 *   100 tool calls under a 5-per-minute limit), and a batch over `maxBatch` messages is refused
 *   as a whole with a JSON-RPC error.
 *
 * The read body is left in Hono's body cache, so the transport reads it as before. Anything that is not
 * a JSON array passes through untouched; the transport answers bad JSON and content types itself.
 */
export function jsonRpcBodyLimit(options: { maxBytes?: number; maxBatch?: number } = {}): MiddlewareHandler<AppEnv> {
  const maxBytes = options.maxBytes ?? MAX_JSON_RPC_BODY_BYTES;
  const maxBatch = options.maxBatch ?? MAX_BATCH_MESSAGES;
  return async function jsonRpcBodyLimitMiddleware(c, next) {
    const raw = c.req.raw;
    if (raw.method !== 'POST' || !raw.body) return next();
    const declared = Number(raw.headers.get('content-length') ?? 'NaN');
    if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
    const body = await readUpTo(raw.body, maxBytes);
    if (body === undefined) return tooLarge(maxBytes);
    // Hono's own body cache: the transport's `c.req.text()` reads these bytes, and the request
    // itself stays the one @hono/node-server tracks (a replaced Request broke graceful shutdown).
    // (Hono declares the cache's values as plain types but stores and reads promises.)
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
    );
    const count = countMessages(body);
    if (count > maxBatch) {
      return jsonRpcError(
        400,
        -32600,
        `Invalid Request: a batch may carry at most ${maxBatch} messages (got ${count}).`,
        'BATCH_TOO_LARGE',
      );
    }
    c.set('jsonRpcMessages', count);
    return next();
  };
}

/** The body, or undefined as soon as it passes `maxBytes` (the stream is cancelled, not drained). */
async function readUpTo(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Top-level messages of a JSON array body; 1 for anything else (a single message or not JSON). */
function countMessages(body: Uint8Array): number {
  let start = 0;
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x0a || body[start] === 0x0d || body[start] === 0x09)) start++;
  if (body[start] !== 0x5b) return 1;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    return Array.isArray(parsed) ? Math.max(1, parsed.length) : 1;
  } catch {
    return 1;
  }
}

function tooLarge(maxBytes: number): Response {
  // Connection: close — the client may still be sending; the socket is not worth draining.
  return jsonRpcError(413, -32000, `Payload too large: the body exceeds ${maxBytes} bytes.`, 'PAYLOAD_TOO_LARGE', { Connection: 'close' });
}

/** A JSON-RPC error (`id: null`: no request was read) with the edge's stable code in `error.data.code`. */
function jsonRpcError(status: number, code: number, message: string, stable: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message, data: { code: stable } }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}
