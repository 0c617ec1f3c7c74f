import type { McpCaller } from './mcp-client.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

export interface Rate {
  calls: number;
  seconds: number;
  callsPerSecond: number;
  /** Per-call latency under this load. */
  latency: Summary;
  /** Server process CPU (ms) per call, when the server's CPU clock was given. */
  serverCpuMsPerCall?: number;
}

export interface ThroughputOptions {
  caller: McpCaller;
  /** `<origin>/healthz`: the baseline, the same server answering its cheapest route. */
  healthzUrl: string;
  /** A cached `result:` id of the caller's own principal. */
  resultId: string;
  concurrency: number;
  /** The server process's CPU clock (ms), for CPU per call. */
  serverCpuMs?: () => Promise<number>;
  /** Length of each measured round; each workload runs two rounds (ABBA). */
  roundMs: number;
  warmupMs: number;
}

export interface ThroughputResult {
  concurrency: number;
  resultId: string;
  fetch: Rate;
  healthz: Rate;
  /** JSON-RPC `ping` through auth and the MCP transport, no tool (informational). */
  ping: Rate;
  /** fetch calls/s ÷ healthz calls/s. */
  ratio: number;
}

/**
 * `concurrency` clients, each calling `call` back to back until `durationMs` has passed. With
 * `cpuMs` (the server's CPU clock), also the server's CPU per call: a cost that a busy machine
 * inflates far less than the wall-clock rate.
 */
export async function measureRate(
  call: () => Promise<void>,
  concurrency: number,
  durationMs: number,
  cpuMs?: () => Promise<number>,
): Promise<Rate> {
  const cpuBefore = await cpuMs?.();
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const start = performance.now();
      await call();
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  const rate: Rate = { calls: latencies.length, seconds, callsPerSecond: latencies.length / seconds, latency: summarize(latencies) };
  const cpuAfter = await cpuMs?.();
  if (cpuBefore !== undefined && cpuAfter !== undefined) rate.serverCpuMsPerCall = (cpuAfter - cpuBefore) / latencies.length;
  return rate;
}

function merge(a: Rate, b: Rate): Rate {
  const calls = a.calls + b.calls;
  const seconds = a.seconds + b.seconds;
  // Latency percentiles are not mergeable exactly; the round with more calls is the better estimate.
  const rate: Rate = { calls, seconds, callsPerSecond: calls / seconds, latency: a.calls >= b.calls ? a.latency : b.latency };
  if (a.serverCpuMsPerCall !== undefined && b.serverCpuMsPerCall !== undefined) {
    rate.serverCpuMsPerCall = (a.serverCpuMsPerCall * a.calls + b.serverCpuMsPerCall * b.calls) / calls;
  }
  return rate;
}

/**
 * Benchmark 2: cached `fetch` calls per second with `concurrency` concurrent clients, against the
 * same server answering `GET /healthz` (no auth, no MCP, no cache) with as many clients. Rounds
 * run healthz, fetch, fetch, healthz (and ping around them) so drift cancels; every answer is
 * checked, so an error (429, 401, tool error) aborts the benchmark instead of inflating it.
 */
export async function benchmarkThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const fetchCall = async (): Promise<void> => {
    const content = await options.caller.callTool('fetch', { id: options.resultId });
    if (content.id !== options.resultId) throw new Error('fetch answered another id');
  };
  const healthCall = async (): Promise<void> => {
    const response = await fetch(options.healthzUrl);
    const body = await response.text();
    if (response.status !== 200) throw new Error(`/healthz: HTTP ${response.status} ${body.slice(0, 100)}`);
  };
  const pingCall = (): Promise<void> => options.caller.ping();
  const { concurrency, roundMs } = options;
  const round = (call: () => Promise<void>): Promise<Rate> => measureRate(call, concurrency, roundMs, options.serverCpuMs);

  await measureRate(healthCall, concurrency, options.warmupMs);
  await measureRate(fetchCall, concurrency, options.warmupMs);
  const ping1 = await round(pingCall);
  const health1 = await round(healthCall);
  const fetch1 = await round(fetchCall);
  const fetch2 = await round(fetchCall);
  const health2 = await round(healthCall);
  const ping2 = await round(pingCall);
  const fetchRate = merge(fetch1, fetch2);
  const healthRate = merge(health1, health2);
  return {
    concurrency,
    resultId: options.resultId,
    fetch: fetchRate,
    healthz: healthRate,
    ping: merge(ping1, ping2),
    ratio: fetchRate.callsPerSecond / healthRate.callsPerSecond,
  };
}
