import type { HttpOptions, HttpRequest, HttpResponse } from './http.ts';

/** PASS: ChatGPT would be fine. WARN: works, but fragile or only here. FAIL: a client will break. SKIP: not checked. */
export type CheckStatus = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

/** One printed line: `STATUS name — detail — fix`. */
export interface CheckResult {
  status: CheckStatus;
  name: string;
  detail: string;
  /** What to do about a FAIL or WARN (docs/troubleshooting.md has the long form). */
  fix?: string | undefined;
  /** Nothing after this can work (no DNS, no connection): the runner skips the remaining checks. */
  fatal?: boolean;
}

/** Where the deployment is and what the doctor may use to check it. */
export interface DoctorTarget {
  /** https://host — no path, no trailing slash. */
  origin: string;
  /** '' or '/chatgpt': the environment prefix. */
  prefix: string;
  /** The Streamable HTTP endpoint users paste into ChatGPT: origin + prefix + /mcp. */
  mcpUrl: string;
  /** The legacy SSE endpoint: origin + prefix + /sse. */
  sseUrl: string;
  /** The issuer the connector must announce: origin + prefix. */
  issuer: string;
}

/** Everything a check needs; built once by createDoctorContext. */
export interface DoctorContext {
  target: DoctorTarget;
  http: HttpOptions;
  apiKey: string | undefined;
  /** Register a throwaway OAuth client (as ChatGPT does) during the registration check. */
  register: boolean;
  /** Query for the search round trip. */
  searchQuery: string;
  /** GET/HEAD/POST through a per-run cache keyed by method+URL (discovery documents are read by several checks). */
  request(url: string, req?: HttpRequest): Promise<HttpResponse>;
  now(): number;
}

/** A check: a small function that reports one or more results and never throws. */
export interface Check {
  name: string;
  run(ctx: DoctorContext): Promise<CheckResult[]>;
}
