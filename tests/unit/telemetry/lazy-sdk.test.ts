import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Builds telemetry in a fresh Node process and lists the @opentelemetry packages it resolved: the
 * one test that can tell "the SDK is never loaded" from "the SDK is loaded but idle".
 */
async function packagesLoaded(tracing: boolean): Promise<string[]> {
  const config = {
    metrics: undefined,
    tracing: tracing
      ? {
          url: 'http://127.0.0.1:9/v1/traces',
          protocol: 'http/json',
          headers: {},
          serviceName: 's',
          sampler: 'always_on',
          samplerRatio: 1,
          captureQueryText: false,
        }
      : undefined,
    activityQueryText: false,
    tlsCertFile: undefined,
  };
  const script = `
    import { registerHooks } from 'node:module';
    const seen = new Set();
    registerHooks({ resolve(specifier, context, next) { if (specifier.startsWith('@opentelemetry/')) seen.add(specifier); return next(specifier, context); } });
    const { createTelemetry } = await import('./src/telemetry/index.ts');
    const telemetry = await createTelemetry(${JSON.stringify(config)}, { version: '0', knownTools: [] });
    await telemetry.observeTool({ tool: 't', input: '', principal: 'p' }, async () => ({ ok: true, stats: { rows: 0 } }));
    await telemetry.close();
    console.log(JSON.stringify([...seen].sort()));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('../../../', import.meta.url) });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('tracing costs nothing when off', () => {
  it('never loads the OpenTelemetry SDK or an exporter without an OTLP endpoint (only the API)', async () => {
    assert.deepEqual(await packagesLoaded(false), ['@opentelemetry/api']);
  });

  it('loads the SDK and the http/json exporter once an endpoint is configured', async () => {
    const loaded = await packagesLoaded(true);
    assert.ok(loaded.includes('@opentelemetry/sdk-trace'), loaded.join());
    assert.ok(loaded.includes('@opentelemetry/exporter-trace-otlp-http'), loaded.join());
    assert.ok(!loaded.includes('@opentelemetry/exporter-trace-otlp-proto'), loaded.join());
  });
});
