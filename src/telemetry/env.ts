import { z } from 'zod';
import { boolVar, intVar } from '../config-values.ts';
import { ConfigError } from '../errors.ts';

/** Samplers of the OpenTelemetry environment specification (`OTEL_TRACES_SAMPLER`). */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/** OTLP over HTTP only: `grpc` would pull in a gRPC stack for one exporter. */
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof PROTOCOLS)[number];

const optionalText = () => z.string().trim().optional();
const protocolVar = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((value) => value === undefined || (PROTOCOLS as readonly string[]).includes(value), {
      message: 'must be http/protobuf or http/json (grpc is not supported)',
    });

/**
 * Variables of metrics, traces and the operator console, spread into the schema of src/config.ts.
 * The OTEL_* names and meanings are those of the OpenTelemetry environment specification.
 */
export const telemetryEnvShape = {
  METRICS_PORT: intVar(-1, 0, 65535),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  METRICS_TOKEN: optionalText(),
  OTEL_SDK_DISABLED: boolVar(false),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('mssql-deep-research'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalText(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocolVar(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocolVar(),
  OTEL_EXPORTER_OTLP_HEADERS: optionalText(),
  OTEL_TRACES_SAMPLER: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((value) => value === undefined || (SAMPLERS as readonly string[]).includes(value), {
      message: `must be one of ${SAMPLERS.join(', ')}`,
    }),
  OTEL_TRACES_SAMPLER_ARG: optionalText(),
  OTEL_CAPTURE_QUERY_TEXT: boolVar(false),
  ACTIVITY_CAPTURE_QUERY_TEXT: boolVar(false),
  TLS_CERT_FILE: optionalText(),
};

type TelemetryEnv = z.output<z.ZodObject<typeof telemetryEnvShape>>;

export interface MetricsConfig {
  /** 0 = any free port (tests). */
  port: number;
  host: string;
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

export interface TracingConfig {
  /** Full URL of the OTLP traces endpoint (`…/v1/traces`). */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  serviceName: string;
  sampler: SamplerName;
  /** Ratio of the trace-id ratio samplers, 0..1. */
  samplerRatio: number;
  /** Put the SQL text on database spans (`db.query.text`); off by default, as it may hold values. */
  captureQueryText: boolean;
}

export interface TelemetryConfig {
  /** Undefined = no metrics listener. */
  metrics: MetricsConfig | undefined;
  /** Undefined = tracing off: the OpenTelemetry SDK is never loaded. */
  tracing: TracingConfig | undefined;
  /** Show the input of tool calls (the SQL) in the operator console's recent activity. */
  activityQueryText: boolean;
  /** PEM certificate whose expiry the operator console shows. */
  tlsCertFile: string | undefined;
}

/** `k1=v1,k2=v2` with percent-encoded values (W3C baggage style, as the specification says). */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const name = at > 0 ? pair.slice(0, at).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ConfigError('OTEL_EXPORTER_OTLP_HEADERS', 'must be name=value pairs separated by commas');
    }
    try {
      headers[name] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError('OTEL_EXPORTER_OTLP_HEADERS', `the value of ${name} is not valid percent-encoding`);
    }
  }
  return headers;
}

function httpUrl(variable: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(variable, 'must be an http(s) URL');
  return url;
}

/** The traces endpoint: the signal-specific URL as is, else `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
function tracesUrl(v: TelemetryEnv): string | undefined {
  if (v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).href;
  if (!v.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const base = httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', v.OTEL_EXPORTER_OTLP_ENDPOINT);
  return `${base.href.replace(/\/+$/, '')}/v1/traces`;
}

function samplerRatio(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  const ratio = /^\d*\.?\d+$/.test(value) ? Number(value) : NaN;
  if (!(ratio >= 0 && ratio <= 1)) throw new ConfigError('OTEL_TRACES_SAMPLER_ARG', `must be a number from 0 to 1, got "${value}"`);
  return ratio;
}

/** Builds the telemetry settings from the parsed variables; errors name their variable. */
export function telemetryConfigFromEnv(v: TelemetryEnv, production: boolean): TelemetryConfig {
  const token = v.METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < 16) throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters');
  if (production && v.METRICS_PORT >= 0 && token === undefined && !['127.0.0.1', '::1', 'localhost'].includes(v.METRICS_HOST)) {
    throw new ConfigError('METRICS_TOKEN', 'is required when NODE_ENV=production and METRICS_HOST is not a loopback address');
  }
  const url = v.OTEL_SDK_DISABLED ? undefined : tracesUrl(v);
  return {
    metrics: v.METRICS_PORT >= 0 ? { port: v.METRICS_PORT, host: v.METRICS_HOST, token } : undefined,
    tracing:
      url === undefined
        ? undefined
        : {
            url,
            protocol: (v.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? v.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf') as OtlpProtocol,
            headers: parseHeaders(v.OTEL_EXPORTER_OTLP_HEADERS),
            serviceName: v.OTEL_SERVICE_NAME,
            sampler: (v.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on') as SamplerName,
            samplerRatio: samplerRatio(v.OTEL_TRACES_SAMPLER_ARG),
            captureQueryText: v.OTEL_CAPTURE_QUERY_TEXT,
          },
    activityQueryText: v.ACTIVITY_CAPTURE_QUERY_TEXT,
    tlsCertFile: v.TLS_CERT_FILE || undefined,
  };
}
