import type { CallToolResult } from '@modelcontextprotocol/server';
import { logDigest } from '../log-digest.ts';
import type { Outcome, ResearchErrorCode } from '../research/types.ts';
import type { CallContext } from './call-context.ts';

/**
 * Turns a research outcome into the Deep Research tool result (item 34): the value both as
 * `structuredContent` and as one text item holding the same JSON. Failures are tool errors
 * (`isError: true`) whose `structuredContent.error` carries a stable code and a message meant for
 * the model to act on.
 */
export function toToolResult<T extends object>(outcome: Outcome<T>): CallToolResult {
  if (outcome.ok) {
    return {
      content: [{ type: 'text', text: JSON.stringify(outcome.value) }],
      structuredContent: outcome.value as Record<string, unknown>,
    };
  }
  return toolError(outcome.code, outcome.message);
}

export function toolError(code: ResearchErrorCode, message: string): CallToolResult {
  const body = { error: { code, message } };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body };
}

/**
 * Runs one tool call and writes its single audit line: request id, principal, tool, the protocol
 * version the client spoke and its trace context, input length and a keyed digest (never the SQL
 * or values; see log-digest.ts), outcome code, rows, bytes, duration.
 * A research layer that throws (it should return outcomes) becomes a generic tool error.
 */
export async function runLogged<T extends object>(
  tool: string,
  input: string,
  context: CallContext,
  call: () => Promise<Outcome<T>>,
): Promise<CallToolResult> {
  const started = performance.now();
  let outcome: Outcome<T>;
  try {
    const { rpcId, protocolVersion, traceparent } = context;
    const observed = { tool, input, principal: context.principal.id, rpcId, protocolVersion, traceparent };
    outcome = await (context.observe ? context.observe(observed, call) : call());
  } catch (error) {
    context.logger.error('tool_failed', { tool, principal: context.principal.id, error });
    outcome = {
      ok: false,
      code: 'QUERY_FAILED',
      message: 'The call failed unexpectedly. Try again, or rephrase the request.',
      stats: { form: 'unknown', rows: 0, bytes: 0, durationMs: performance.now() - started },
    };
  }
  context.logger.info('tool_call', {
    principal: context.principal.id,
    client_id: context.principal.clientId,
    subject: context.principal.subject,
    tool,
    protocol: context.protocolVersion,
    traceparent: context.traceparent,
    input_length: input.length,
    input_hmac: logDigest(input),
    form: outcome.stats.form,
    verdict: outcome.ok ? 'ok' : 'error',
    code: outcome.ok ? undefined : outcome.code,
    rows: outcome.stats.rows,
    bytes: outcome.stats.bytes,
    truncated: outcome.stats.truncated,
    duration_ms: Math.round((performance.now() - started) * 10) / 10,
  });
  return toToolResult(outcome);
}
