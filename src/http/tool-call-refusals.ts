import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { Metrics, ToolOutcome } from '../telemetry/metrics.ts';
import type { AppEnv } from './context.ts';
import { isJsonContentType, MAX_BODY_BYTES } from './mcp-messages.ts';

const OUTCOMES: Record<number, ToolOutcome> = { 401: 'auth_denied', 403: 'auth_denied', 429: 'rate_limited' };

/** The tool names of the `tools/call` messages in a body that was refused; [] when there are none. */
async function toolsCalled(request: { header(name: string): string | undefined; text(): Promise<string> }): Promise<string[]> {
  const length = Number(request.header('content-length') ?? 'NaN');
  // Only a declared, bounded JSON body is read: a refused caller cannot make us buffer more.
  if (!isJsonContentType(request.header('content-type')) || !(length >= 0 && length <= MAX_BODY_BYTES)) return [];
  try {
    const body: unknown = JSON.parse(await request.text());
    const messages = (Array.isArray(body) ? body : [body]) as { method?: unknown; params?: { name?: unknown } }[];
    return messages
      .filter((message) => message?.method === 'tools/call')
      .map((message) => (typeof message.params?.name === 'string' ? message.params.name : 'unknown'));
  } catch {
    return [];
  }
}

/**
 * Counts tool calls the edge refused before they reached a tool: `auth_denied` (401/403 from
 * bearer auth or the anonymous-call rule) and `rate_limited` (429), labelled with the tool the
 * refused body asked for. Sits in front of the MCP routes' own middleware.
 */
export function countRefusedToolCalls(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async function countRefusedToolCallsMiddleware(c, next) {
    if (c.req.method !== 'POST') return next();
    const count = async (status: number): Promise<void> => {
      const outcome = OUTCOMES[status];
      if (!outcome) return;
      for (const tool of await toolsCalled(c.req)) metrics.toolCall(tool, outcome);
    };
    try {
      await next();
    } catch (error) {
      if (error instanceof AppError) await count(error.status);
      throw error;
    }
    await count(c.res.status);
  };
}
