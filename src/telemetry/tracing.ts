import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { TracingConfig } from './env.ts';

/** What a `tools/call` span records about its request (from the HTTP request and JSON-RPC message). */
export interface ToolSpanInfo {
  tool: string;
  rpcId?: string | number | undefined;
  protocolVersion?: string | undefined;
  /** W3C `traceparent` of the caller: `params._meta.traceparent` (MCP 2026-07-28), else the HTTP header. */
  traceparent?: string | undefined;
}

export interface DbSpanInfo {
  /** `db.namespace`: the database name. */
  namespace: string;
  /** The SQL, put on the span only when OTEL_CAPTURE_QUERY_TEXT=true. */
  text: string;
}

/**
 * Spans for tool calls and database queries (GenAI / MCP and database semantic conventions).
 * The database span becomes a child of the tool span it runs under, through an AsyncLocalStorage
 * owned by this object (no global context manager).
 */
export interface Tracing {
  toolCall<T>(info: ToolSpanInfo, run: () => Promise<T>, errorType: (result: T) => string | undefined): Promise<T>;
  dbQuery<T>(info: DbSpanInfo, run: () => Promise<T>, errorType: (error: unknown) => string): Promise<T>;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** Tracing off: nothing is allocated per call, the SDK is never loaded. */
export const NO_TRACING: Tracing = {
  toolCall: (_info, run) => run(),
  dbQuery: (_info, run) => run(),
  shutdown: async () => {},
};

/**
 * `db.operation.name` from a closed set (never user text): every statement the connector runs is a
 * read, a SELECT (or WITH … SELECT) unless it executes a procedure.
 */
export function operationName(text: string): 'SELECT' | 'EXECUTE' {
  return /^\s*exec/i.test(text) ? 'EXECUTE' : 'SELECT';
}

/**
 * Builds tracing from the OTEL_* settings: loads the SDK and the exporter of the configured
 * protocol (`http/json` or `http/protobuf`) only now, so a server without tracing never pays for
 * them. Spans are batched; `shutdown` flushes.
 */
export async function createTracing(config: TracingConfig, version: string): Promise<Tracing> {
  const [sdk, { resourceFromAttributes }, { parseTraceParent }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
  ]);
  const { TracerProvider, BatchSpanProcessor, ParentBasedSampler, AlwaysOnSampler, AlwaysOffSampler, TraceIdRatioBasedSampler } = sdk;
  const exporterOptions = { url: config.url, headers: config.headers };
  const exporter =
    config.protocol === 'http/json'
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(exporterOptions)
      : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(exporterOptions);
  const ratio = new TraceIdRatioBasedSampler(config.samplerRatio);
  const root = { always_on: new AlwaysOnSampler(), always_off: new AlwaysOffSampler(), traceidratio: ratio }[
    config.sampler.replace('parentbased_', '') as 'always_on' | 'always_off' | 'traceidratio'
  ];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName, 'service.version': version }),
    sampler: config.sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root,
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1_000 })],
  });
  const tracer: Tracer = provider.getTracer('mssql-deep-research', version);
  const active = new AsyncLocalStorage<Context>();

  const finish = (span: Span, errorType: string | undefined): void => {
    if (errorType !== undefined) {
      span.setAttribute('error.type', errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };

  return {
    async toolCall(info, run, errorType) {
      const remote = info.traceparent ? parseTraceParent(info.traceparent) : null;
      const parent = remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
      const attributes: Attributes = {
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': info.tool,
        'gen_ai.operation.name': 'execute_tool',
      };
      if (info.protocolVersion) attributes['mcp.protocol.version'] = info.protocolVersion;
      if (info.rpcId !== undefined) attributes['jsonrpc.request.id'] = String(info.rpcId);
      const span = tracer.startSpan(`tools/call ${info.tool}`, { kind: SpanKind.SERVER, attributes }, parent);
      try {
        const result = await active.run(trace.setSpan(parent, span), run);
        finish(span, errorType(result));
        return result;
      } catch (error) {
        finish(span, error instanceof Error ? error.name : 'Error');
        throw error;
      }
    },
    async dbQuery(info, run, errorType) {
      const operation = operationName(info.text);
      const attributes: Attributes = {
        'db.system.name': 'mssql',
        'db.namespace': info.namespace,
        'db.operation.name': operation,
      };
      if (config.captureQueryText) attributes['db.query.text'] = info.text;
      const span = tracer.startSpan(
        `${operation} ${info.namespace}`,
        { kind: SpanKind.CLIENT, attributes },
        active.getStore() ?? ROOT_CONTEXT,
      );
      try {
        const result = await run();
        span.end();
        return result;
      } catch (error) {
        finish(span, errorType(error));
        throw error;
      }
    },
    shutdown: () => provider.shutdown(),
  };
}
