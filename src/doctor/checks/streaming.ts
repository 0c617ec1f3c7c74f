import { httpStream } from '../http.ts';
import type { HttpStream } from '../http.ts';
import type { Check, DoctorContext } from '../types.ts';

/** How long the first SSE event may take before the stream counts as buffered. */
export const FIRST_EVENT_LIMIT_MS = 5000;

const BUFFERED_FIX =
  'proxy_buffering off for /sse and /mcp (nginx/snippets/streaming.conf); free ngrok and Cloudflare quick tunnels buffer (docs/local-development.md)';

/**
 * Whether an SSE stream arrives event by event: opens GET /sse with the API key and waits for the
 * `endpoint` event while the stream is still open. A buffering proxy or tunnel (nginx with
 * proxy_buffering on, Cloudflare quick tunnels) holds it until the stream ends: a classic reason
 * for ChatGPT connectors that hang or fail to connect.
 */
export const streamingCheck: Check = {
  name: 'sse unbuffered',
  async run(ctx: DoctorContext) {
    if (!ctx.apiKey) return [{ status: 'SKIP', name: 'sse unbuffered', detail: 'needs --api-key (the stream requires a token)' }];
    const started = ctx.now();
    let stream: HttpStream;
    try {
      stream = await httpStream(
        ctx.target.sseUrl,
        { headers: { accept: 'text/event-stream', authorization: `Bearer ${ctx.apiKey}` } },
        { ...ctx.http, timeoutMs: FIRST_EVENT_LIMIT_MS },
      );
    } catch (error) {
      if ((error as { code?: string }).code !== 'ETIMEDOUT') throw error;
      // Not even the status line: something in front holds the whole response until it ends.
      return [
        {
          status: 'FAIL',
          name: 'sse unbuffered',
          detail: `no response within ${FIRST_EVENT_LIMIT_MS} ms on GET ${ctx.target.sseUrl}: the stream is buffered`,
          fix: BUFFERED_FIX,
        },
      ];
    }
    try {
      if (stream.status !== 200)
        return [
          {
            status: 'FAIL',
            name: 'sse unbuffered',
            detail: `GET ${ctx.target.sseUrl} with the API key → ${stream.status}`,
            fix:
              stream.status === 401 ? 'the API key is not accepted: compare with MCP_API_KEY in .env' : 'see docker compose logs connector',
          },
        ];
      const type = String(stream.headers['content-type'] ?? '');
      if (!type.startsWith('text/event-stream'))
        return [
          {
            status: 'FAIL',
            name: 'sse unbuffered',
            detail: `content-type ${type}`,
            fix: 'something in front answers instead of the connector',
          },
        ];
      if (stream.headers['content-encoding'])
        return [
          {
            status: 'FAIL',
            name: 'sse unbuffered',
            detail: `event stream compressed (${String(stream.headers['content-encoding'])}): compression buffers`,
            fix: 'gzip off for event streams (nginx/snippets/streaming.conf); disable compression in any CDN in front',
          },
        ];
      let text: string;
      try {
        text = await stream.waitFor((t) => /\n\n/.test(t), FIRST_EVENT_LIMIT_MS);
      } catch {
        return [
          {
            status: 'FAIL',
            name: 'sse unbuffered',
            detail: `no event within ${FIRST_EVENT_LIMIT_MS} ms${stream.ended() ? '; the stream ended instead' : ''}: the stream is buffered`,
            fix: BUFFERED_FIX,
          },
        ];
      }
      const elapsed = ctx.now() - started;
      if (stream.ended())
        return [
          {
            status: 'FAIL',
            name: 'sse unbuffered',
            detail: `the first event arrived only with the end of the stream (${elapsed} ms): buffered or closed early`,
            fix: 'proxy_buffering off and proxy_read_timeout 1d for /sse (nginx/snippets/streaming.conf)',
          },
        ];
      const endpoint = /event: endpoint\ndata: (\S+)/.exec(text)?.[1];
      const prefix = new URL(ctx.target.sseUrl).pathname.replace(/\/sse$/, '');
      if (endpoint && !endpoint.startsWith(`${prefix}/messages`) && !endpoint.startsWith(`${ctx.target.origin}${prefix}/messages`)) {
        return [
          {
            status: 'FAIL',
            name: 'sse unbuffered',
            detail: `endpoint event points at ${endpoint}, outside ${prefix}`,
            fix: 'nginx must send X-Environment-Path so the connector adds the prefix',
          },
        ];
      }
      return [
        {
          status: 'PASS',
          name: 'sse unbuffered',
          detail: `first event after ${elapsed} ms while the stream stays open${endpoint ? ` (endpoint ${endpoint})` : ''}`,
        },
      ];
    } finally {
      stream.close();
    }
  },
};
