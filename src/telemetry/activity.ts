/** One tool call as the operator console lists it. */
export interface ActivityEntry {
  /** Milliseconds since the epoch, when the call ended. */
  at: number;
  tool: string;
  principal: string;
  /** The counted outcome (ok, tool_error, refused, timeout). */
  outcome: string;
  /** The stable error code, when the call failed. */
  code?: string | undefined;
  rows: number;
  durationMs: number;
  /** The tool input (the SQL or id), only with ACTIVITY_CAPTURE_QUERY_TEXT=true. */
  input?: string | undefined;
}

/** Recent tool calls, newest first, in a fixed-size ring: memory stays bounded whatever the load. */
export interface ActivityLog {
  record(entry: ActivityEntry): void;
  recent(): ActivityEntry[];
}

/** Inputs shown in the console are cut here: the ring holds at most `capacity` × this many characters. */
const MAX_INPUT_CHARS = 500;

export function createActivityLog(capacity = 200): ActivityLog {
  const ring: (ActivityEntry | undefined)[] = new Array(capacity);
  let next = 0;
  return {
    record(entry) {
      ring[next] = entry.input === undefined ? entry : { ...entry, input: entry.input.slice(0, MAX_INPUT_CHARS) };
      next = (next + 1) % capacity;
    },
    recent() {
      const out: ActivityEntry[] = [];
      for (let i = 1; i <= capacity; i++) {
        const entry = ring[(next - i + capacity) % capacity];
        if (entry) out.push(entry);
      }
      return out;
    },
  };
}
