import type { Check, DoctorContext } from '../types.ts';

/**
 * The connector's own view of its database (`GET <prefix>/health`): a connector that answers but
 * cannot reach SQL Server passes discovery and OAuth, then fails every search.
 */
export const healthCheck: Check = {
  name: 'database',
  async run(ctx: DoctorContext) {
    const url = `${ctx.target.issuer}/health`;
    const res = await ctx.request(url);
    let body: { database?: { ok?: unknown; latencyMs?: unknown; error?: unknown } } = {};
    try {
      body = JSON.parse(res.body) as typeof body;
    } catch {
      /* judged below */
    }
    if (res.status === 200 && body.database?.ok === true) {
      return [
        { status: 'PASS', name: 'database', detail: `the connector reaches its database (${String(body.database.latencyMs ?? '?')} ms)` },
      ];
    }
    if (res.status === 503 || body.database?.ok === false) {
      const reason = typeof body.database?.error === 'string' ? body.database.error : JSON.stringify(body.database?.error ?? 'no detail');
      return [
        {
          status: 'FAIL',
          name: 'database',
          detail: `the connector cannot reach its database: ${reason}`,
          fix: 'check MSSQL_HOST/PORT/USER/PASSWORD and the firewall to SQL Server (docs/troubleshooting.md "Database connection failures")',
        },
      ];
    }
    return [
      {
        status: 'WARN',
        name: 'database',
        detail: `GET ${url} → ${res.status}`,
        fix: 'an older connector or another service answers /health',
      },
    ];
  },
};
