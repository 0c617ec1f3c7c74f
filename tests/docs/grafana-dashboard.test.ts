import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createPromMetrics } from '../../src/telemetry/metrics.ts';

const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

/** Every sample name the connector's registry exposes once each metric has a value. */
async function exposedNames(): Promise<Set<string>> {
  const metrics = createPromMetrics({ knownTools: ['search'] });
  metrics.toolCall('search', 'ok', 0.1);
  metrics.guardRefusal('READ_ONLY_VIOLATION');
  metrics.dbQuery('ok', 0.01);
  metrics.cacheLookup(true);
  metrics.oauthEvent('signin_ok');
  metrics.observe({
    db: () => ({ inUse: 0, waiting: 0, poolSize: 1, poolBorrowed: 0 }),
    cache: async () => ({ entries: 1, bytes: 10 }),
    sseStreams: () => 0,
  });
  const { body } = await metrics.render();
  return new Set(
    body
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][\w:]*/.exec(line)?.[0] ?? ''),
  );
}

describe('Grafana dashboard (docs/grafana-dashboard.json)', () => {
  it('queries only metric names the connector exposes', async () => {
    const exposed = await exposedNames();
    const used = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((target) => target.expr.match(/\b(?:mcp|process|nodejs)_[a-z0-9_]+/g) ?? []),
      ),
    );
    assert.ok(used.size >= 10);
    assert.deepEqual(
      [...used].filter((name) => !exposed.has(name)),
      [],
    );
  });

  it('has a panel for each metric family of issue 14', () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join('\n');
    for (const family of [
      'mcp_tool_calls_total',
      'mcp_tool_call_duration_seconds',
      'mcp_guard_refusals_total',
      'mcp_db_query_duration_seconds',
      'mcp_db_queries',
      'mcp_db_pool_connections',
      'mcp_cache_lookups_total',
      'mcp_cache_bytes',
      'mcp_oauth_events_total',
      'mcp_sse_streams',
      'process_',
    ]) {
      assert.ok(exprs.includes(family), family);
    }
  });
});
