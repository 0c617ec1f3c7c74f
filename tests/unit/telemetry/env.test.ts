import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';

const BASE = { MSSQL_HOST: 'h', MSSQL_USER: 'u', MSSQL_PASSWORD: 'p', MSSQL_DATABASE: 'd', MCP_API_KEY: 'k'.repeat(32) };
const telemetry = (env: Record<string, string>) => loadConfig({ ...BASE, ...env }).telemetry;

describe('telemetry configuration', () => {
  it('is all off by default: no metrics listener, no tracing, no query text anywhere', () => {
    assert.deepEqual(telemetry({}), { metrics: undefined, tracing: undefined, activityQueryText: false, tlsCertFile: undefined });
  });

  it('builds the traces URL from OTEL_EXPORTER_OTLP_ENDPOINT, and takes the signal-specific one as is', () => {
    assert.equal(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing?.url, 'http://collector:4318/v1/traces');
    const both = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/custom' };
    assert.equal(telemetry(both).tracing?.url, 'https://b/custom');
  });

  it('defaults to http/protobuf and parentbased_always_on, and reads the traces-specific protocol first', () => {
    const tracing = telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).tracing;
    assert.equal(tracing?.protocol, 'http/protobuf');
    assert.equal(tracing?.sampler, 'parentbased_always_on');
    const json = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'HTTP/JSON',
    };
    assert.equal(telemetry(json).tracing?.protocol, 'http/json');
  });

  it('parses OTEL_EXPORTER_OTLP_HEADERS with percent-decoded values', () => {
    const tracing = telemetry({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20x,x-tenant=a',
    }).tracing;
    assert.deepEqual(tracing?.headers, { authorization: 'Bearer x', 'x-tenant': 'a' });
  });

  it('stays off with OTEL_SDK_DISABLED=true even with an endpoint', () => {
    assert.equal(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' }).tracing, undefined);
  });

  const refused: [string, Record<string, string>, string][] = [
    ['grpc', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    ['an unknown sampler', { OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER'],
    ['a ratio above 1', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
    ['an endpoint that is not http(s)', { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    ['malformed headers', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: '=x' }, 'OTEL_EXPORTER_OTLP_HEADERS'],
    ['a short metrics token', { METRICS_PORT: '9464', METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    ['a port out of range', { METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [
      'metrics off loopback without a token in production',
      { NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://x.example.com', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' },
      'METRICS_TOKEN',
    ],
  ];
  for (const [what, env, variable] of refused) {
    it(`refuses ${what}, naming ${variable}`, () => {
      assert.throws(
        () => telemetry(env),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
      );
    });
  }
});
