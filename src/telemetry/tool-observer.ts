import type { ActivityLog } from './activity.ts';
import type { Metrics, ToolOutcome } from './metrics.ts';
import type { ToolSpanInfo, Tracing } from './tracing.ts';

/** The shape of a research outcome this module needs (src/research/types.ts `Outcome`). */
export type OutcomeLike = { ok: true; stats: { rows: number } } | { ok: false; code: string; stats: { rows: number } };

/** One tool call as the observer sees it: never more than the audit log line already holds. */
export interface ObservedCall extends ToolSpanInfo {
  principal: string;
  input: string;
}

/**
 * Wraps one tool call (src/mcp/tool-result.ts `runLogged`): a `tools/call <tool>` span around it,
 * then the call counted, timed and added to the recent activity. A call that throws is counted as
 * a tool error and rethrown (runLogged turns it into one).
 */
export type ToolObserver = <T extends OutcomeLike>(call: ObservedCall, run: () => Promise<T>) => Promise<T>;

/** Refusals of the read-only guard (src/sql-guard `GuardCode`). */
const REFUSED = new Set(['READ_ONLY_VIOLATION', 'SQL_PARSE_ERROR', 'SQL_TOO_LONG', 'OBJECT_NOT_ALLOWED']);

/** The counted outcome of a finished call. */
export function toolOutcome(outcome: OutcomeLike): ToolOutcome {
  if (outcome.ok) return 'ok';
  if (REFUSED.has(outcome.code)) return 'refused';
  return outcome.code === 'QUERY_TIMEOUT' ? 'timeout' : 'tool_error';
}

export interface ToolObserverDeps {
  metrics: Metrics;
  tracing: Tracing;
  activity: ActivityLog;
  /** Keep the tool input (the SQL) in the recent activity (ACTIVITY_CAPTURE_QUERY_TEXT). */
  keepInput: boolean;
}

export function createToolObserver(deps: ToolObserverDeps): ToolObserver {
  return async (call, run) => {
    const started = performance.now();
    const done = (outcome: ToolOutcome, rows: number, code?: string): void => {
      const durationMs = performance.now() - started;
      deps.metrics.toolCall(call.tool, outcome, durationMs / 1000);
      deps.activity.record({
        at: Date.now(),
        tool: call.tool,
        principal: call.principal,
        outcome,
        code,
        rows,
        durationMs: Math.round(durationMs * 10) / 10,
        input: deps.keepInput ? call.input : undefined,
      });
    };
    try {
      const outcome = await deps.tracing.toolCall(call, run, (result) => (result.ok ? undefined : 'tool_error'));
      done(toolOutcome(outcome), outcome.stats.rows, outcome.ok ? undefined : outcome.code);
      return outcome;
    } catch (error) {
      done('tool_error', 0, 'QUERY_FAILED');
      throw error;
    }
  };
}
