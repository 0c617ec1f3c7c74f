import { createActivityLog, type ActivityLog } from './activity.ts';
import type { TelemetryConfig } from './env.ts';
import { createPromMetrics, NO_METRICS, type Metrics } from './metrics.ts';
import { startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { createToolObserver, type ToolObserver } from './tool-observer.ts';
import { createTracing, NO_TRACING, type Tracing } from './tracing.ts';

/** Metrics, traces and recent activity, built once by the composition root (src/index.ts). */
export interface Telemetry {
  metrics: Metrics;
  tracing: Tracing;
  activity: ActivityLog;
  observeTool: ToolObserver;
  /** Where Prometheus scrapes, when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /** Stops the metrics listener and flushes buffered spans. */
  close(): Promise<void>;
}

/**
 * Each part is off unless configured: without METRICS_PORT the metrics are no-ops and nothing
 * listens; without an OTLP endpoint the tracing is a no-op and the OpenTelemetry SDK is never
 * imported. The recent activity (a bounded ring) is always kept for the operator console.
 */
export async function createTelemetry(
  config: TelemetryConfig,
  options: { version: string; knownTools: readonly string[] },
): Promise<Telemetry> {
  const metrics = config.metrics ? createPromMetrics({ knownTools: options.knownTools }) : NO_METRICS;
  const tracing = config.tracing ? await createTracing(config.tracing, options.version) : NO_TRACING;
  let server: MetricsServer | undefined;
  try {
    server = config.metrics ? await startMetricsServer(config.metrics, metrics) : undefined;
  } catch (error) {
    await tracing.shutdown().catch(() => {});
    throw error;
  }
  const activity = createActivityLog();
  return {
    metrics,
    tracing,
    activity,
    observeTool: createToolObserver({ metrics, tracing, activity, keepInput: config.activityQueryText }),
    metricsUrl: server?.url,
    async close() {
      await server?.close();
      await tracing.shutdown().catch(() => {});
    },
  };
}
